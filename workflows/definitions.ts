/**
 * The EPA workflow's public surface: one Update per admin event type, a status query, and the
 * shapes they carry. Imported by the workflow and by clients (CLI, API, tests).
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { EpaEventType } from '../src/epa/events';
import type { EpaView } from '../src/epa/evaluate';
import type { EpaStart, People } from '../src/epa/people';
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
}

/** What continue-as-new carries over. */
export interface EpaCarry {
  input: EpaStart;
  state: EpaState;
  sent: string[];
  log: NotificationLogEntry[];
}

export type EpaWorkflowArgs = [input: EpaStart, carry?: EpaCarry];

export const statusQuery = defineQuery<EpaStatus>('status');

const eventUpdateNames = [
  'GatewaySubmitted',
  'GatewayRejected',
  'GatewayPassed',
  'AssessmentBooked',
  'AssessmentCancelled',
  'ReportSubmitted',
  'PortfolioSubmitted',
  'ShowcaseSubmitted',
  'ReworkSubmitted',
  'AssessmentTaken',
  'GradeRecorded',
  'ResultPublished',
  'CertificateClaimed',
  'CertificateReceived',
  'ExtenuatingCircumstances',
  'Withdrawn',
] as const satisfies readonly EpaEventType[];

/** One Update per event type, named as the event (`AssessmentBooked`, `GradeRecorded`, …). */
export const eventUpdates = Object.fromEntries(eventUpdateNames.map((t) => [t, defineUpdate<EpaStatus, [EventPayload]>(t)])) as Record<
  EpaEventType,
  ReturnType<typeof defineUpdate<EpaStatus, [EventPayload]>>
>;
