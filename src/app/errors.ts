/**
 * The refusals every door reports, by kind, and what each means in HTTP: one table for the API
 * (src/api/server.ts) and the staff pages (src/web), so a refused event is the same status on both.
 * The kinds are those the core (src/epa/errors.ts), the EPA gateway (epa-client.ts) and the use
 * cases (users.ts) throw with; any other error is not a refusal (the API answers 500).
 */
export const httpStatusByKind = {
  /** A field missing, of the wrong type, an impossible date, an unknown standard or EPAO. */
  invalid_input: 400,
  /** A history sent to start an EPA with problems in it (each listed). */
  invalid_history: 400,
  /** No such EPA (or user). */
  not_found: 404,
  /** An EPA for this ULN exists already. */
  already_exists: 409,
  /** Well-formed, but impossible now (a grade before the assessment; the EPA has finished). */
  rejected_transition: 409,
  /** The event breaks a rule: an admin may record it anyway with a reason. */
  rule_violation: 409,
  /** An event id already used for a different event. */
  duplicate_event_id: 409,
} as const;

export type ErrorKind = keyof typeof httpStatusByKind;

export function httpStatusOf(kind: ErrorKind): number {
  return httpStatusByKind[kind];
}

/** The kind of a refusal (an error whose `kind` is in the table above); undefined for any other error. */
export function errorKindOf(err: unknown): ErrorKind | undefined {
  const kind = err instanceof Error ? (err as { kind?: unknown }).kind : undefined;
  return typeof kind === 'string' && Object.hasOwn(httpStatusByKind, kind) ? (kind as ErrorKind) : undefined;
}
