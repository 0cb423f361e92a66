/**
 * Starting an EPA from the staff pages: the form's fields as the start request the API takes, every
 * problem at once (in words, each at its field, in the form's order), then the start itself.
 */
import { dateFromParts, dateInWords } from '../calendar';
import { EpaHistoryError, EpaInputError } from '../epa/errors';
import { EpaStartSchema, type EpaStart } from '../epa/people';
import { rules as processRules, type RuleRegistry } from '../plans';
import { EpaAlreadyExistsError, type EpaClient } from './epa-client';
import type { PostedForm } from './event-forms';
import { capitalise, historyProblemInWords, issueInWords, startFieldOf, startFieldOrder } from './start-words';

/** Form field → start request path, in the form's order. */
export const startFields: Record<string, string> = {
  uln: 'uln',
  apprenticeName: 'apprentice.name',
  apprenticeEmail: 'apprentice.email',
  employer: 'employer.organisation',
  employerContactName: 'employer.name',
  employerContactEmail: 'employer.email',
  provider: 'provider.organisation',
  providerContactName: 'provider.name',
  providerContactEmail: 'provider.email',
  standard: 'standard',
  standardVersion: 'standardVersion',
  epao: 'epao',
  gatewaySubmittedOn: 'gatewaySubmittedOn',
  events: 'events',
};

/** One problem of the form: the field it is at, the element its error-summary link moves to, and what is wrong in words. */
export interface StartFormProblem {
  field: string;
  /** The id of the input to fix (a date's day, month or year box). */
  target: string;
  text: string;
  /** For a date: the boxes to mark (one part, or all three when the whole date is wrong). */
  parts?: ('day' | 'month' | 'year')[];
}

/** The form has problems: every one of them, in the form's order. */
export class StartFormError extends Error {
  constructor(
    readonly problems: StartFormProblem[],
    /** `already_exists` when the ULN's EPA exists (409); otherwise the input is wrong (400). */
    readonly kind: 'invalid_input' | 'invalid_history' | 'already_exists' = 'invalid_input',
  ) {
    super(problems.map((p) => p.text).join('; '));
    this.name = 'StartFormError';
  }
}

const formFieldOf = (path: string): string =>
  Object.entries(startFields).find(([, p]) => p === startFieldOf(path)?.path)?.[0] ?? 'uln';

/**
 * Checks the whole form without starting anything: every field (empty, malformed, an impossible or
 * future date, a standard the EPAO does not assess) at once. The request is what `start` takes;
 * the history (the events so far) is checked by the start itself, against the rules.
 */
export function checkStartForm(
  posted: PostedForm,
  epaoAdmin: { name: string; email: string },
  today: string,
  registry: Pick<RuleRegistry, 'resolve'> = processRules(),
): { request: Record<string, unknown>; problems: StartFormProblem[] } {
  const v = (name: string) => (posted[name] ?? '').trim();
  const problems: StartFormProblem[] = [];
  const add = (field: string, text: string, target = field) => {
    if (problems.some((p) => p.field === field)) return;
    const part = /^gatewaySubmittedOn-(day|month|year)$/.exec(target)?.[1] as 'day' | 'month' | 'year' | undefined;
    const whole = field === 'gatewaySubmittedOn' && !part;
    problems.push({
      field,
      target: whole ? 'gatewaySubmittedOn-day' : target,
      text,
      ...(part && { parts: [part] }),
      ...(whole && { parts: ['day', 'month', 'year'] }),
    });
  };

  const reading = dateFromParts(v('gatewaySubmittedOn-day'), v('gatewaySubmittedOn-month'), v('gatewaySubmittedOn-year'));
  let gateway = '';
  if ('date' in reading) gateway = reading.date;
  else if (reading.problem.words === 'must be entered') add('gatewaySubmittedOn', 'Enter the date the gateway was submitted');
  else
    add(
      'gatewaySubmittedOn',
      `The gateway submission date ${reading.problem.words}`,
      `gatewaySubmittedOn-${reading.problem.part}`,
    );

  let events: unknown;
  if (v('events')) {
    try {
      events = JSON.parse(v('events'));
      if (!Array.isArray(events))
        add('events', 'The events so far must be a list in square brackets, oldest first, as the API takes them');
    } catch {
      add('events', 'The events so far must be a JSON list, oldest first, as the API takes them');
    }
  }

  const request: Record<string, unknown> = {
    uln: v('uln').replace(/\s+/g, ''),
    apprentice: { name: v('apprenticeName'), email: v('apprenticeEmail') },
    employer: { organisation: v('employer'), name: v('employerContactName'), email: v('employerContactEmail') },
    provider: { organisation: v('provider'), name: v('providerContactName'), email: v('providerContactEmail') },
    epaoAdmin,
    standard: v('standard'),
    ...(v('standardVersion') && { standardVersion: v('standardVersion') }),
    epao: v('epao'),
    gatewaySubmittedOn: gateway,
    ...(Array.isArray(events) && { events }),
  };

  const parsed = EpaStartSchema.safeParse(request);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const { path, text } = issueInWords(issue, request);
      const field = formFieldOf(path);
      add(field, text);
    }
  }
  const standard = v('standard');
  const epao = v('epao');
  if (!standard) add('standard', 'Choose the standard');
  if (!epao) add('epao', 'Choose the EPAO');
  if (standard && epao) {
    try {
      registry.resolve(standard, epao, v('standardVersion') || undefined);
    } catch (err) {
      if (!(err instanceof EpaInputError)) throw err;
      add(formFieldOf(err.path), capitalise(err.detail));
    }
  }
  if (gateway && gateway > today)
    add(
      'gatewaySubmittedOn',
      `The gateway submission date, ${dateInWords(gateway)}, is in the future (today is ${dateInWords(today)}): start the EPA once its gateway has been submitted`,
    );

  problems.sort((a, b) => startFieldOrder(startFields[a.field] ?? '') - startFieldOrder(startFields[b.field] ?? ''));
  return { request, problems };
}

/** What the start itself refused (the history's problems, an EPA that exists), as the form's problems. */
function problemsOf(err: unknown): StartFormProblem[] | undefined {
  if (err instanceof EpaHistoryError)
    return err.problems.map((p) => ({ field: 'events', target: 'events', text: historyProblemInWords(p) }));
  if (err instanceof EpaAlreadyExistsError) {
    const uln = /ULN (\d+)/.exec(err.message)?.[1];
    return [
      {
        field: 'uln',
        target: 'uln',
        text: uln ? `An EPA for ULN ${uln} already exists: find it on the Apprentices page` : capitalise(err.message),
      },
    ];
  }
  if (err instanceof EpaInputError) {
    const field = formFieldOf(err.path);
    return [
      field === 'gatewaySubmittedOn'
        ? { field, target: 'gatewaySubmittedOn-day', text: capitalise(err.detail), parts: ['day', 'month', 'year'] }
        : { field, target: field, text: capitalise(err.detail) },
    ];
  }
  return undefined;
}

/**
 * Starts the EPA a form describes, as `by`, under the form's idempotency key. A form with problems
 * starts nothing: StartFormError lists every problem (the history's too), each at its field.
 */
export async function startEpaFromForm(
  epa: Pick<EpaClient, 'start'>,
  posted: PostedForm,
  epaoAdmin: { name: string; email: string },
  by: string,
  today: string,
  registry?: Pick<RuleRegistry, 'resolve'>,
): Promise<{ epaId: string; input: EpaStart }> {
  const { request, problems } = checkStartForm(posted, epaoAdmin, today, registry);
  if (problems.length > 0) throw new StartFormError(problems);
  const key = posted.formKey && /^[0-9a-f-]{36}$/.test(posted.formKey) ? posted.formKey : undefined;
  try {
    return await epa.start(request, undefined, { ...(key && { idempotencyKey: key }), by });
  } catch (err) {
    const refused = problemsOf(err);
    if (refused)
      throw new StartFormError(refused, (err as { kind: 'invalid_input' | 'invalid_history' | 'already_exists' }).kind);
    throw err;
  }
}

/** The form's choices in words: each standard with its title, each EPAO by its name (the value is the id the rules use). */
export function startChoices(registry: Pick<RuleRegistry, 'standardIds' | 'plan' | 'policies'> = processRules()): {
  standards: { value: string; text: string }[];
  epaos: { value: string; text: string }[];
} {
  return {
    standards: registry.standardIds.map((s) => ({ value: s, text: `${s} ${registry.plan(s)?.data.title ?? ''}`.trim() })),
    epaos: registry.policies.map((p) => ({ value: p.id, text: p.name })),
  };
}
