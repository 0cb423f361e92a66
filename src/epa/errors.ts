/**
 * The two ways the core refuses input. Both carry a message fit to show an admin verbatim.
 * - EpaInputError: malformed input (a field is missing, of the wrong type, an impossible date, an
 *   unknown standard, EPAO or component). `path` names the offending field. It lives below the
 *   rules (src/input-error.ts), which refuse an unknown standard or EPAO with it too.
 * - EpaTransitionError: well-formed, but impossible now (a grade before the assessment, booking a
 *   passed component, an event dated before the previous one).
 */
import type { z } from 'zod';
import { EpaInputError } from '../input-error';

export { EpaInputError };

export class EpaTransitionError extends Error {
  readonly kind = 'rejected_transition' as const;
  constructor(message: string) {
    super(message);
    this.name = 'EpaTransitionError';
  }
}

/**
 * One rule an event breaks, as the doors show it: the rule's name, what is wrong, what it cites (a
 * seed such as '001 §5', or 'EPAO setting': a Finding's `source`, src/epa/state.ts), and whether an
 * admin's override reason can accept it.
 */
export interface RuleViolation {
  rule: string;
  message: string;
  citation: string;
  overridable: boolean;
}

/** Rules the event breaks (e.g. under 2 weeks' notice): a live EPA takes it only with an admin's override reason. */
export class EpaRuleViolationError extends Error {
  readonly kind = 'rule_violation' as const;
  constructor(
    message: string,
    readonly violations: RuleViolation[],
  ) {
    super(message);
    this.name = 'EpaRuleViolationError';
  }

  /** The names of the rules broken. */
  get rules(): string[] {
    return this.violations.map((v) => v.rule);
  }
}

/** An event id already used for a different event (a repeat with the same event is accepted once). */
export class EpaDuplicateEventError extends Error {
  readonly kind = 'duplicate_event_id' as const;
  constructor(message: string) {
    super(message);
    this.name = 'EpaDuplicateEventError';
  }
}

/** One problem in a history sent to start an EPA: which event (its index), which field, and what is wrong. */
export interface HistoryProblem {
  index: number;
  field: string;
  message: string;
}

/** A history that cannot be entered: every problem at once, so a person can fix them in one go. */
export class EpaHistoryError extends Error {
  readonly kind = 'invalid_history' as const;
  constructor(readonly problems: HistoryProblem[]) {
    super(
      `the history has ${problems.length === 1 ? '1 problem' : `${problems.length} problems`}: ${problems.map((p) => `events[${p.index}].${p.field}: ${p.message}`).join('; ')}`,
    );
    this.name = 'EpaHistoryError';
  }
}

export type EpaError = EpaInputError | EpaTransitionError | EpaRuleViolationError | EpaHistoryError | EpaDuplicateEventError;

export function isEpaError(err: unknown): err is EpaError {
  return (
    err instanceof EpaInputError ||
    err instanceof EpaTransitionError ||
    err instanceof EpaRuleViolationError ||
    err instanceof EpaHistoryError ||
    err instanceof EpaDuplicateEventError
  );
}

function formatPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

/** Turns the first zod issue into an EpaInputError naming the field, e.g. `events[3].on: …`. */
export function fromZodError(error: z.ZodError, prefix = ''): EpaInputError {
  const issue = error.issues[0];
  if (!issue) return new EpaInputError('invalid input', prefix);
  let message = issue.message;
  if (issue.code === 'invalid_union' && 'note' in issue && issue.note === 'No matching discriminator') {
    message = 'unknown event type';
  }
  if (issue.code === 'unrecognized_keys') message = `unknown field(s) ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
  return new EpaInputError(message, formatPath(prefix, issue.path));
}
