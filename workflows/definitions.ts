/**
 * The EPA workflow's public surface: one Update per admin event type, a status query, and the
 * shapes they carry. Imported by the workflow and by clients (CLI, API, tests).
 */
import type { Duration } from '@temporalio/common';
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { eventTypeNames } from '../src/epa/event-check';
import type { EpaEventType } from '../src/epa/events';
import type { EpaView } from '../src/epa/evaluate';
import type { People } from '../src/epa/people';
import type { EpaState } from '../src/epa/state';

export const EPA_TASK_QUEUE = 'epa';

/** An event payload as an admin sends it: the event without its `type` (the Update's name is the type). */
export type EventPayload = Record<string, unknown>;

export interface NotificationLogEntry {
  key: string;
  kind: string;
  to: string[];
  at: string;
  status: 'sent' | 'failed';
  error?: string;
  messageId?: string;
}

export interface EpaStatus extends EpaView {
  epaId: string;
  uln: string;
  people: People;
  eventCount: number;
  /** Violations accepted by an admin's override, with the reasons. */
  overrides: { rule: string; reason: string; event: number; on: string }[];
  log: NotificationLogEntry[];
  completed: boolean;
  /** How many workflow runs this EPA has used (continue-as-new keeps history short). */
  runs: number;
}

/** What an accepted Update returns: the new state, without the bulky parts the status query has. */
export type EpaSummary = Omit<EpaStatus, 'notifications' | 'log' | 'people'>;

export function summarise(status: EpaStatus): EpaSummary {
  const { notifications: _n, log: _l, people: _p, ...summary } = status;
  return summary;
}

/** Kept in the workflow memo, so list views have it without querying each EPA. */
export interface EpaListingMemo {
  uln: string;
  apprentice: string;
  employer: string;
  standard: string;
  epao: string;
  stage: string;
  missed: { key: string; due: string; component?: string }[];
  next: { key: string; due: string } | null;
}

/** What continue-as-new carries over. */
export interface EpaCarry {
  state: EpaState;
  sent: string[];
  log: NotificationLogEntry[];
  runs: number;
}

/** Operational settings, not rules: kept across continue-as-new. */
export interface EpaSettings {
  /** Continue-as-new once the history passes this many events. */
  historyLimit?: number;
  /** How long one delivery attempt may take before Temporal retries it (default 1 minute). */
  deliveryTimeout?: Duration;
  /** First retry delay after a transient delivery failure, doubling up to 30 minutes (default 10 seconds). */
  deliveryRetryInterval?: Duration;
}


export const statusQuery = defineQuery<EpaStatus>('status');

/** One Update per event type, named as the event (`AssessmentBooked`, `GradeRecorded`, …). */
export const eventUpdates = Object.fromEntries(eventTypeNames.map((t) => [t, defineUpdate<EpaSummary, [EventPayload]>(t)])) as Record<
  EpaEventType,
  ReturnType<typeof defineUpdate<EpaSummary, [EventPayload]>>
>;
