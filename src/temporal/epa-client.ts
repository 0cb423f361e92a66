/**
 * Driving EPAs from outside (CLI, API, tests): start one, record an event, read its status, list
 * and find overdue ones. Temporal's errors become the four outcomes callers act on.
 */
import {
  Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type WorkflowHandle,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { EpaStartSchema, Uln, workflowIdFor, type EpaStart } from '../epa/people';
import { eventTypes, type EpaEventType } from '../epa/events';
import { fromZodError, EpaInputError } from '../epa/errors';
import { ruleContext } from '../epa/evaluate';
import { EPA_TASK_QUEUE, eventUpdates, statusQuery, type EpaSettings, type EpaStatus, type EpaSummary, type EventPayload } from '../../workflows/definitions';
import type { epaWorkflow } from '../../workflows/epa';
import { EpaEmployer, EpaEpao, EpaOverdue, EpaStage, EpaStandard } from './search-attributes';

/** The EPA does not exist (or its workflow has ended and been deleted). */
export class EpaNotFoundError extends Error {
  readonly kind = 'not_found' as const;
}
/** The workflow refused the event; `kind` says why (invalid_input, rejected_transition, rule_violation). */
export class EpaRejectedError extends Error {
  constructor(
    message: string,
    readonly kind: 'invalid_input' | 'rejected_transition' | 'rule_violation',
    readonly path?: string,
  ) {
    super(message);
  }
}
export class EpaAlreadyExistsError extends Error {
  readonly kind = 'already_exists' as const;
}

export function parseUln(uln: string): string {
  const r = Uln.safeParse(uln);
  if (!r.success) throw new EpaInputError(r.error.issues[0]!.message, 'uln');
  return r.data;
}

export function parseEventType(type: string): EpaEventType {
  if (!(eventTypes as readonly string[]).includes(type)) {
    throw new EpaInputError(`unknown event type "${type}" (one of: ${eventTypes.join(', ')})`, 'type');
  }
  return type as EpaEventType;
}

export class EpaClient {
  constructor(
    readonly client: Client,
    readonly taskQueue = EPA_TASK_QUEUE,
  ) {}

  handle(uln: string): WorkflowHandle<typeof epaWorkflow> {
    return this.client.workflow.getHandle<typeof epaWorkflow>(workflowIdFor(parseUln(uln)));
  }

  /** Validates the input (zod, and the standard/EPAO pair), then starts `epa-<ULN>`. */
  async start(raw: unknown, settings?: EpaSettings): Promise<{ epaId: string; input: EpaStart }> {
    const parsed = EpaStartSchema.safeParse(raw);
    if (!parsed.success) throw fromZodError(parsed.error);
    const input = parsed.data;
    ruleContext(input.standard, input.epao);
    const epaId = workflowIdFor(input.uln);
    try {
      await this.client.workflow.start<typeof epaWorkflow>('epaWorkflow', {
        workflowId: epaId,
        taskQueue: this.taskQueue,
        args: settings ? [input, undefined, settings] : [input],
        typedSearchAttributes: [
          { key: EpaStage, value: 'GatewayReview' },
          { key: EpaStandard, value: input.standard },
          { key: EpaEpao, value: input.epao },
          { key: EpaEmployer, value: input.employer.organisation },
          { key: EpaOverdue, value: false },
        ],
      });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) throw new EpaAlreadyExistsError(`an EPA for ULN ${input.uln} already exists (${epaId})`);
      throw err;
    }
    return { epaId, input };
  }

  /** Records one admin event; resolves with the EPA's new status, or throws EpaRejectedError / EpaNotFoundError. */
  async recordEvent(uln: string, type: string, payload: EventPayload = {}): Promise<EpaSummary> {
    const eventType = parseEventType(type);
    const handle = this.handle(uln);
    try {
      return await handle.executeUpdate(eventUpdates[eventType], { args: [payload] });
    } catch (err) {
      throw this.translate(err, uln);
    }
  }

  async status(uln: string): Promise<EpaStatus> {
    try {
      return await this.handle(uln).query(statusQuery);
    } catch (err) {
      throw this.translate(err, uln);
    }
  }

  private translate(err: unknown, uln: string): Error {
    if (err instanceof WorkflowNotFoundError) return new EpaNotFoundError(`no EPA for ULN ${uln}`);
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
      const kind = err.cause.type;
      if (kind === 'invalid_input' || kind === 'rejected_transition' || kind === 'rule_violation') {
        const details = err.cause.details?.[0] as { path?: string } | undefined;
        return new EpaRejectedError(err.cause.message, kind, details?.path);
      }
    }
    if (err instanceof Error && /workflow execution already completed/i.test(err.message)) {
      return new EpaRejectedError(`the EPA for ULN ${uln} has finished: ${err.message}`, 'rejected_transition');
    }
    return err instanceof Error ? err : new Error(String(err));
  }
}
