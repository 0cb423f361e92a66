/**
 * An EPA's timeline, the audit staff read: every event with its date, who recorded it and when,
 * the reason given (an override, a rejection, a withdrawal, a correction) and what it changed.
 * Built from views before and after each event, so the wording follows the rules, not the form.
 */
import { isMet, type Deadline } from './deadlines';
import type { EpaView } from './evaluate';

export interface TimelineEntry {
  /** The EPA's event count after this event (the gateway submission is 1). */
  number: number;
  type: string;
  /** When it happened (London date). */
  on: string;
  /** Who recorded it: an API token's name, a CLI user, the importer. */
  by?: string;
  /** When it was recorded (ISO instant, workflow time). */
  recordedAt: string;
  eventId?: string;
  /** A void: the eventId of the event it voided. */
  voids?: string;
  /** An override reason, or the event's own reason (rejection, cancellation, withdrawal). */
  reason?: string;
  /** What it changed: the stage, deadlines met, new deadlines, grades. */
  changed: string[];
  /** The component the event is about (a booking, a result), when it names one. */
  component?: string;
  /** A booking's date and time (London), when the event carries one. */
  at?: string;
  /** A note's text (NoteAdded): shown on the timeline, never put into a message. */
  note?: string;
  /** A message sent again (MessageSentAgain): the failed message's key, to whom, and the key it went under now. */
  message?: { key: string; role: string; sentAs?: string };
  /** The case owner's name (CaseOwnerAssigned). */
  owner?: string;
  /** The key of the task marked done (TaskDone, tasks.ts). */
  task?: string;
}

/** Timeline entries an EPA keeps in its status (the newest); every event stays in its history. */
export const TIMELINE_KEPT = 500;
const REASON_SHOWN = 300;

/** What moved between two views of one EPA, in words. */
export function describeChange(before: EpaView | undefined, after: EpaView): string[] {
  const out: string[] = [];
  if (!before || before.stage !== after.stage)
    out.push(before ? `stage ${before.stage} → ${after.stage}` : `stage ${after.stage}`);
  const was = new Map((before?.deadlines ?? []).map((d) => [`${d.key}@${d.due}`, d]));
  for (const d of after.deadlines) {
    const old = was.get(`${d.key}@${d.due}`);
    if (!old && !isMet(d)) out.push(`new deadline ${d.key} due ${d.due}`);
    else if (old && !isMet(old) && isMet(d)) out.push(`${d.key} ${metWords(d)}`);
  }
  for (const [component, grade] of Object.entries(after.grades)) {
    if (before?.grades[component] !== grade) out.push(`${component} graded ${grade}`);
  }
  if (after.overall && before?.overall !== after.overall) out.push(`overall grade ${after.overall}`);
  return out;
}

/** "met", or "met late (3 working days)", with an override's reason beside it. */
export function metWords(d: Pick<Deadline, 'status' | 'lateBy' | 'override'>): string {
  const late = d.status === 'metLate' && d.lateBy ? ` late (${lateWords(d.lateBy)})` : '';
  return `met${late}${d.override ? `, override: ${d.override.reason}` : ''}`;
}

/** `{days: 3, unit: 'workingDays'}` → "3 working days". */
export function lateWords(by: NonNullable<Deadline['lateBy']>): string {
  return `${by.days} ${by.unit === 'workingDays' ? 'working ' : ''}day${by.days === 1 ? '' : 's'}`;
}

/** One entry for an event just recorded. */
export function timelineEntry(
  event: Record<string, unknown> & { type: string; on: string },
  before: EpaView | undefined,
  after: EpaView,
  number: number,
  recordedAt: number,
): TimelineEntry {
  const override = (event.override as { reason?: string } | undefined)?.reason;
  const reason = override ?? (typeof event.reason === 'string' ? event.reason : undefined);
  return {
    number,
    type: event.type,
    on: event.on,
    ...(typeof event.by === 'string' && { by: event.by }),
    recordedAt: new Date(recordedAt).toISOString(),
    ...(typeof event.eventId === 'string' && { eventId: event.eventId }),
    ...(typeof event.voids === 'string' && { voids: event.voids }),
    ...(reason !== undefined && { reason: reason.length > REASON_SHOWN ? `${reason.slice(0, REASON_SHOWN)}…` : reason }),
    changed: describeChange(before, after),
    ...(typeof event.component === 'string' && { component: event.component }),
    ...(typeof event.at === 'string' && { at: event.at }),
    ...(event.type === 'NoteAdded' && typeof event.text === 'string' && { note: event.text }),
    ...(event.type === 'MessageSentAgain' &&
      typeof event.message === 'string' &&
      typeof event.role === 'string' && { message: { key: event.message, role: event.role } }),
    ...(event.type === 'CaseOwnerAssigned' && typeof event.name === 'string' && { owner: event.name }),
    ...(event.type === 'TaskDone' && typeof event.task === 'string' && { task: event.task }),
  };
}

/** Appends, keeping the newest TIMELINE_KEPT. */
export function appendTimeline(timeline: TimelineEntry[], entry: TimelineEntry): void {
  timeline.push(entry);
  if (timeline.length > TIMELINE_KEPT) timeline.splice(0, timeline.length - TIMELINE_KEPT);
}
