/**
 * The zod schemas of what the API takes and answers that the core does not already define: query
 * strings, path parameters, headers, response bodies and the error body. The server validates with
 * the input ones; the OpenAPI document (openapi.ts) is generated from all of them.
 */
import { z } from 'zod';
import type { EpaError } from '../epa/errors';
import { EVENT_ID } from '../epa/event-check';
import { EpaStartSchema, Uln, type RestartNote } from '../epa/people';
import type { EpaAlreadyExistsError, EpaNotFoundError, EpaRun } from '../app/epa-client';

/** True when a schema's type and the TypeScript type the code answers with are the same (checked at compile time). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** `GET /api/epas`: the filters (an unknown one is refused). */
export const FilterQuery = z
  .object({
    stage: z.string().optional(),
    standard: z.string().optional(),
    employer: z.string().max(200).optional(),
    epao: z.string().optional(),
    overdue: z.enum(['true', 'false']).optional(),
  })
  .strict();

export const UlnPath = z.object({
  uln: Uln.meta({
    description: 'Unique Learner Number: 10 digits, not starting with 0, with a valid check digit',
    pattern: '^[1-9]\\d{9}$',
  }),
});

export const IdempotencyHeader = z.object({
  'Idempotency-Key': z
    .string()
    .regex(EVENT_ID)
    .optional()
    .describe(
      'Sent again with the same request: the first answer, nothing done twice; with a different request: 409 duplicate_event_id',
    ),
});

export const ImportQuery = z.object({
  apply: z
    .enum(['true', 'false'])
    .optional()
    .describe('true: start the rows the dry run would start (safe to repeat); otherwise a dry run'),
});

export const StandardPath = z.object({ standard: z.string().meta({ examples: ['ST0071'] }) });
export const StandardQuery = z.object({
  version: z
    .string()
    .optional()
    .meta({ description: 'A plan version (default: the newest)', examples: ['1.1'] }),
});

/** `POST /api/epas`: the start request; the EPAO admin defaults to the server's (EPA_ADMIN_EMAIL). */
export const EpaStartBody = EpaStartSchema.partial({ epaoAdmin: true });

/** `POST /api/epas/{uln}/restart`: the start request (the path gives the ULN) and why (the client checks the reason). */
export const EpaRestartBody = EpaStartSchema.partial({ uln: true, epaoAdmin: true })
  .extend({
    reason: z.string().trim().min(3).describe('Why the EPA starts again, kept (its first 2,000 characters) in the new run'),
  })
  .describe('The fields of EpaStart (uln optional: the path gives it) plus reason');

export const Started = z.object({ epaId: z.string(), uln: z.string() });
const RestartOf = z.object({ previousRunId: z.string(), previousStatus: z.string(), reason: z.string(), on: z.string() });
const restartOfMatches: Same<z.infer<typeof RestartOf>, RestartNote> = true;
export const Restarted = Started.extend({ restartOf: RestartOf });

const EpaRunSchema = z.object({ runId: z.string(), status: z.string(), startedAt: z.string(), closedAt: z.string().nullable() });
const epaRunMatches: Same<z.infer<typeof EpaRunSchema>, EpaRun> = true;
export const EpaRuns = z.object({ runs: z.array(EpaRunSchema) });
void [restartOfMatches, epaRunMatches];

export const EpaStatus = z
  .looseObject({})
  .describe(
    'The `epa plan` view (stage, deadlines, grades, overall, warnings, violations, …) plus people, overrides and the notification log.',
  );
export const EpaList = z.object({ epas: z.array(z.looseObject({})) });
export const AnyObject = z.looseObject({});

/** The kinds the core and the EPA client refuse with; the compile-time check below keeps the list complete. */
const refusalKinds = [
  'invalid_input',
  'invalid_history',
  'rejected_transition',
  'rule_violation',
  'duplicate_event_id',
  'not_found',
  'already_exists',
] as const;
type RefusalKind = EpaError['kind'] | EpaNotFoundError['kind'] | EpaAlreadyExistsError['kind'];
type Unlisted = Exclude<RefusalKind, (typeof refusalKinds)[number]>;
const everyKindListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyKindListed;

/** The kinds of the HTTP layer itself: authentication, fastify's own refusals, and the unexpected. */
const httpKinds = [
  'unauthorized',
  'forbidden',
  'internal',
  'bad_request',
  'method_not_allowed',
  'not_acceptable',
  'payload_too_large',
  'uri_too_long',
  'unsupported_media_type',
  'too_many_requests',
] as const;

/** Every error body: `{error, message}`, with the field at fault or a history's problems where they apply. */
export const ApiError = z.object({
  error: z.enum([...refusalKinds, ...httpKinds]),
  message: z.string(),
  field: z.string().optional(),
  problems: z
    .array(z.object({ index: z.number().int(), field: z.string(), message: z.string() }))
    .optional()
    .describe('invalid_history: every problem in the history, each with the index of its event'),
});
