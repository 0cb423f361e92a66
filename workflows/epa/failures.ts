/** How the workflow reports what went wrong: to an Update's caller, and in its own log entries. */
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import { EpaDuplicateEventError, EpaInputError, EpaRuleViolationError, EpaTransitionError } from '../../src/epa/errors';

/** Rejections reach the caller as ApplicationFailures whose type says which kind. */
export function toFailure(err: unknown): Error {
  if (err instanceof EpaInputError)
    return ApplicationFailure.create({ type: err.kind, message: err.message, nonRetryable: true, details: [{ path: err.path }] });
  if (err instanceof EpaTransitionError || err instanceof EpaDuplicateEventError)
    return ApplicationFailure.create({ type: err.kind, message: err.message, nonRetryable: true });
  if (err instanceof EpaRuleViolationError)
    return ApplicationFailure.create({
      type: err.kind,
      message: err.message,
      nonRetryable: true,
      details: [{ violations: err.violations }],
    });
  return err instanceof Error ? err : new Error(String(err));
}

/** What an activity's failure says (its cause's message), for the log and the timeline. */
export function failureMessage(err: unknown): string {
  return err instanceof ActivityFailure && err.cause ? err.cause.message : err instanceof Error ? err.message : String(err);
}
