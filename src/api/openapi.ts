/** The OpenAPI 3.1 document served at /openapi.json, with request schemas generated from the core's zod schemas. */
import { z } from 'zod';
import { AdminEpaEvent, adminEventTypes } from '../epa/events';
import { EpaStartSchema } from '../epa/people';

const json = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any', io: 'input' }) as Record<string, unknown>;

function strip(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _s, ...rest } = schema;
  return rest;
}

const error = { $ref: '#/components/schemas/Error' };
const responses = (extra: Record<string, unknown>) => ({
  ...extra,
  '401': {
    description: 'No or unknown bearer token (the API takes no cookie)',
    content: { 'application/json': { schema: error } },
  },
});

export function openApiDocument(): Record<string, unknown> {
  const uln = {
    name: 'uln',
    in: 'path',
    required: true,
    description: '10-digit Unique Learner Number',
    schema: { type: 'string', pattern: '^[1-9]\\d{9}$' },
  };
  const idempotencyKey = {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    description:
      'Sent again with the same request: the first answer, nothing done twice; with a different request: 409 duplicate_event_id',
    schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,100}$' },
  };
  const filters = ['stage', 'standard', 'employer', 'epao'].map((name) => ({
    name,
    in: 'query',
    required: false,
    schema: { type: 'string' },
  }));
  return {
    openapi: '3.1.0',
    info: {
      title: 'epa-flow API',
      version: '0.1.0',
      description: 'End-point assessments on durable Temporal workflows. Admin tokens write; ops tokens read.',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        EpaStart: strip(json(EpaStartSchema.partial({ epaoAdmin: true }))),
        EpaEvent: strip(json(AdminEpaEvent)),
        Error: {
          type: 'object',
          required: ['error', 'message'],
          properties: {
            error: {
              type: 'string',
              enum: [
                'invalid_input',
                'invalid_history',
                'rejected_transition',
                'rule_violation',
                'not_found',
                'already_exists',
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
              ],
            },
            message: { type: 'string' },
            field: { type: 'string' },
            problems: {
              type: 'array',
              description: 'invalid_history: every problem in the history, each with the index of its event',
              items: {
                type: 'object',
                properties: { index: { type: 'integer' }, field: { type: 'string' }, message: { type: 'string' } },
              },
            },
          },
        },
        EpaStatus: {
          type: 'object',
          description:
            'The `epa plan` view (stage, deadlines, grades, overall, warnings, violations, …) plus people, overrides and the notification log.',
          additionalProperties: true,
        },
        EpaList: {
          type: 'object',
          properties: { epas: { type: 'array', items: { type: 'object', additionalProperties: true } } },
        },
      },
    },
    security: [{ bearer: [] }],
    paths: {
      '/api/epas': {
        post: {
          summary:
            'Start an EPA (workflow epa-<ULN>) at its gateway submission (not in the future; dates 2001-01-01 to 2073-12-31), optionally with its history so far (events, oldest first: every problem is reported at once as invalid_history)',
          parameters: [idempotencyKey],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/EpaStart' } } } },
          responses: responses({
            '201': {
              description: 'Started',
              content: {
                'application/json': {
                  schema: { type: 'object', properties: { epaId: { type: 'string' }, uln: { type: 'string' } } },
                },
              },
            },
            '400': { description: 'Invalid input; `field` names it', content: { 'application/json': { schema: error } } },
            '403': { description: 'Ops token', content: { 'application/json': { schema: error } } },
            '409': {
              description: 'An EPA for this ULN exists, running or finished (a finished one is started again with /restart)',
              content: { 'application/json': { schema: error } },
            },
            '415': { description: 'The body is not JSON', content: { 'application/json': { schema: error } } },
          }),
        },
        get: {
          summary: 'List EPAs, filtered',
          parameters: [
            ...filters,
            { name: 'overdue', in: 'query', required: false, schema: { type: 'string', enum: ['true', 'false'] } },
          ],
          responses: responses({
            '200': { description: 'EPAs', content: { 'application/json': { schema: { $ref: '#/components/schemas/EpaList' } } } },
          }),
        },
      },
      '/api/epas/overdue': {
        get: {
          summary: 'Overdue EPAs, most overdue first',
          responses: responses({
            '200': { description: 'EPAs', content: { 'application/json': { schema: { $ref: '#/components/schemas/EpaList' } } } },
          }),
        },
      },
      '/api/epas/overdue.csv': {
        get: {
          summary: 'Overdue EPAs as CSV',
          responses: responses({ '200': { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } } }),
        },
      },
      '/api/epas/{uln}': {
        get: {
          summary: 'One EPA: the plan view, people, attempts and notification log',
          parameters: [uln],
          responses: responses({
            '200': {
              description: 'Status',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/EpaStatus' } } },
            },
            '404': { description: 'No such EPA', content: { 'application/json': { schema: error } } },
          }),
        },
      },
      '/api/epas/{uln}/events': {
        post: {
          summary: `Record an admin event (${adminEventTypes.join(', ')})`,
          parameters: [uln, idempotencyKey],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/EpaEvent' } } } },
          responses: responses({
            '200': {
              description: 'Accepted; the new state',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/EpaStatus' } } },
            },
            '400': { description: 'Invalid input; `field` names it', content: { 'application/json': { schema: error } } },
            '403': { description: 'Ops token', content: { 'application/json': { schema: error } } },
            '404': { description: 'No such EPA', content: { 'application/json': { schema: error } } },
            '409': {
              description: 'Impossible now (rejected_transition) or breaks a rule without override.reason (rule_violation)',
              content: { 'application/json': { schema: error } },
            },
          }),
        },
      },
      '/api/imports': {
        post: {
          summary:
            'Bulk import: one apprentice per CSV row (header row); a dry run unless apply=true, then safe to repeat (a ULN already started is skipped)',
          parameters: [{ name: 'apply', in: 'query', required: false, schema: { type: 'string', enum: ['true', 'false'] } }],
          requestBody: { required: true, content: { 'text/csv': { schema: { type: 'string' } } } },
          responses: responses({
            '200': {
              description: 'What each row does (start, skip, refuse with every problem); with apply=true, what was started',
              content: { 'application/json': { schema: { type: 'object', additionalProperties: true } } },
            },
            '400': { description: 'Not the expected CSV (field "file")', content: { 'application/json': { schema: error } } },
            '403': { description: 'Ops token', content: { 'application/json': { schema: error } } },
          }),
        },
      },
      '/api/epas/{uln}/restart': {
        post: {
          summary: 'Start a finished (withdrawn or completed) EPA again: the start request plus a reason, kept in the new run',
          parameters: [uln],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  description: 'The fields of EpaStart (uln optional: the path gives it) plus reason',
                  required: ['reason'],
                  properties: { reason: { type: 'string', minLength: 3 } },
                  additionalProperties: true,
                },
              },
            },
          },
          responses: responses({
            '201': {
              description: 'Started again',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: { epaId: { type: 'string' }, uln: { type: 'string' }, restartOf: { type: 'object' } },
                  },
                },
              },
            },
            '400': { description: 'Invalid input; `field` names it', content: { 'application/json': { schema: error } } },
            '404': { description: 'No earlier EPA for this ULN', content: { 'application/json': { schema: error } } },
            '409': { description: 'The EPA is still running', content: { 'application/json': { schema: error } } },
          }),
        },
      },
      '/api/epas/{uln}/runs': {
        get: {
          summary: 'Every run of an EPA (first start, continue-as-new, restarts), newest first',
          parameters: [uln],
          responses: responses({
            '200': {
              description: 'Runs',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: {
                      runs: {
                        type: 'array',
                        items: {
                          type: 'object',
                          properties: {
                            runId: { type: 'string' },
                            status: { type: 'string' },
                            startedAt: { type: 'string' },
                            closedAt: { type: ['string', 'null'] },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
            '404': { description: 'No such EPA', content: { 'application/json': { schema: error } } },
          }),
        },
      },
      '/api/rules': {
        get: {
          summary: 'The standards (with versions) and EPAO policies, and which EPAO assesses which standard',
          responses: responses({
            '200': { description: 'The catalogue', content: { 'application/json': { schema: { type: 'object' } } } },
          }),
        },
      },
      '/api/rules/{standard}': {
        get: {
          summary: "A standard's plan and each EPAO's handling of it, every rule with its seed or marked as an EPAO setting",
          parameters: [
            { name: 'standard', in: 'path', required: true, schema: { type: 'string', example: 'ST0071' } },
            {
              name: 'version',
              in: 'query',
              required: false,
              description: 'A plan version (default: the newest)',
              schema: { type: 'string', example: '1.1' },
            },
          ],
          responses: responses({
            '200': { description: 'The plan in words', content: { 'application/json': { schema: { type: 'object' } } } },
            '404': { description: 'No such standard or version' },
          }),
        },
      },
      '/api/stages': {
        get: {
          summary: 'Counts of EPAs per stage',
          responses: responses({
            '200': { description: 'Counts', content: { 'application/json': { schema: { type: 'object' } } } },
          }),
        },
      },
    },
  };
}
