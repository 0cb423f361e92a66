/**
 * Delivery: what the schedule makes due is handed to the delivery activities beside the loop (timers
 * and events are handled while mail is on its way): one activity sends a notification to each of its
 * recipients in turn, and a recipient whose mailbox defers or is away goes on to a delivery of its
 * own, retried, so it holds up nobody else's mail; a refusal is that recipient's alone. Each answer
 * is kept in the EPA's log, one entry per recipient.
 */
import { getExternalWorkflowHandle, patched } from '@temporalio/workflow';
import type { DeliveryRequest, Recipient } from '../../activities/types';
import { emailMoved, invitesAfterContactChange, type ContactRole } from '../../src/epa/contacts';
import { keysSentUnder, withInviteOffsets } from '../../src/epa/corrections';
import type { People } from '../../src/epa/people';
import type { EpaView } from '../../src/epa/evaluate';
import {
  importedLateEntry,
  lateEntrySummary,
  lateFacts,
  metLateIds,
  triageLateEntry,
  watchLateEntry,
} from '../../src/epa/late-entry';
import { dueNotifications, messageFailedAlert, type Notification } from '../../src/epa/notifications';
import { recipientsFor } from '../../src/epa/recipients';
import { LOG_ENTRIES_KEPT, importSummaryWorkflowId, lateEntryReported, type NotificationLogEntry } from '../definitions';
import { failureMessage } from './failures';
import { publishTasks } from './publish';
import type { RunState } from './run-state';

/** The schedule as sent (corrections.ts: SEQUENCE and key offsets after a void). */
export function adjusted(run: RunState, notifications: Notification[]): Notification[] {
  return withInviteOffsets(notifications, run.inviteOffsets);
}

/**
 * A contact's email corrected (`was`: the people before it): the live invites that went to the old
 * address are cancelled there and re-issued to the new one (contacts.ts), one SEQUENCE up, and the
 * assessment's later invites count on from there. `allowed` (the workflow's patch) is asked only
 * when there is something to move.
 */
export function readdressInvites(
  run: RunState,
  before: EpaView,
  was: People,
  role: ContactRole,
  now: number,
  allowed: () => boolean,
): void {
  const moved = emailMoved(was, run.people, role);
  if (!moved) return;
  const schedule = adjusted(run, before.notifications);
  const moves = invitesAfterContactChange(schedule, run.sent, role, moved.from, now, String(run.timeline.length));
  if (moves.length === 0 || !allowed()) return;
  const offsets = { ...run.inviteOffsets };
  for (const n of moves) run.corrections.push(n);
  for (const uid of new Set(moves.map((n) => n.inviteUid!))) run.inviteOffsets[uid] = (offsets[uid] ?? 0) + 1;
  for (const key of keysSentUnder(before.notifications, offsets, run.inviteOffsets, run.sent)) run.sent.add(key);
}

/**
 * Sends what is due in `schedule` at `now`: facts entered late are summed up in one message after a
 * quiet period instead of announced one by one (late-entry.ts), invites a void put right go out,
 * then every notification whose moment has come and that was not sent. `ending`: the EPA completes
 * or is withdrawn now, so a summary still waiting goes at once.
 */
export function deliverDue(run: RunState, schedule: Notification[], v: EpaView, now: number, ending = false): void {
  if (run.known !== undefined) noteLateEntry(run, run.known, schedule, v, now);
  run.known = new Set(schedule.map((n) => n.key));
  run.lateKnown = metLateIds(v.deadlines);
  const watch = run.lateEntry;
  if (watch && (ending || now >= watch.until)) {
    run.lateEntry = undefined;
    const summary = lateEntrySummary(watch, v.deadlines, now, run.input.uln);
    if (forImport(run)) reportToImport(run, summary);
    else if (summary && !run.sent.has(summary.key)) startDelivery(run, summary);
  }
  // An imported EPA with nothing late sends its import's summary nothing: the import told the summary
  // to wait only for those entering late (`entersLate`), so no signal per clean EPA (issue 27).

  for (const n of run.corrections.splice(0)) startDelivery(run, n);
  for (const n of dueNotifications(schedule, now, run.sent)) startDelivery(run, n);
}

/**
 * What an entry brought in late. Misses already past are never announced (they are dealt with:
 * in the summary). The summary waits for the quiet period, each entry meanwhile moving it on; a run
 * without the patch (recorded before it) sends it at once, as it did.
 */
function noteLateEntry(run: RunState, known: Set<string>, schedule: Notification[], v: EpaView, now: number): void {
  const facts = lateFacts(known, run.lateKnown ?? new Set(), schedule, v.deadlines, now);
  // shipped 2026-12-07; deprecatePatch after 2028-06-07
  if (run.lateEntry !== undefined || (facts.deadlines.length > 0 && patched('late-entry-quiet'))) {
    for (const key of facts.withheld) run.sent.add(key);
    run.lateEntry = watchLateEntry(run.lateEntry, facts, run.state.eventCount, now, run.lateEntryQuietMs);
    return;
  }
  const triage = triageLateEntry(known, schedule, v.deadlines, now, String(run.state.eventCount));
  for (const key of triage.withheld) run.sent.add(key); // dealt with: in the summary, never announced
  if (triage.summary && !run.sent.has(triage.summary.key)) startDelivery(run, triage.summary);
}

/** Started by an import and not yet reported to its summary (asks the patch only then). */
function forImport(run: RunState): boolean {
  // shipped 2026-12-07; deprecatePatch after 2028-06-07
  return run.input.importId !== undefined && !run.importReported && patched('import-late-entry-summary');
}

/**
 * Tells the import's summary what this EPA's entry showed (nothing, or the deadlines of `summary`).
 * When the summary cannot be reached (it has finished), this EPA sends its own: nothing is lost.
 */
function reportToImport(run: RunState, summary: Notification | undefined): void {
  run.importReported = true;
  run.inFlight++;
  void getExternalWorkflowHandle(importSummaryWorkflowId(run.input.importId!))
    .signal(lateEntryReported, importedLateEntry(run.input.uln, run.people.apprentice.name, run.ctx, summary))
    .then(
      () => summary && run.sent.add(summary.key), // in the import's summary
      () => summary && !run.sent.has(summary.key) && startDelivery(run, summary),
    )
    .finally(() => run.inFlight--);
}

/**
 * The notification's messages, started beside the loop; each logs its answer when it comes. One
 * activity sends to every recipient in turn (patch 'delivery-one-task', issue 27: a morning's burst
 * of reminders costs the server one task per reminder, not one per recipient); a recipient it could
 * not send to now, or all of them when it failed, go on to a delivery of their own, which retries.
 */
function startDelivery(run: RunState, n: Notification): void {
  run.sent.add(n.key);
  const request = deliveryRequest(run, n);
  // shipped 2026-12-07; deprecatePatch after 2028-06-07
  if (request.recipients.length > 1 && patched('delivery-one-task')) deliverTogether(run, n, request);
  else for (const recipient of request.recipients) deliverTo(run, n, request, recipient);
}

function logEntry(n: Notification, recipient: Recipient): NotificationLogEntry {
  return { key: n.key, kind: n.kind, role: recipient.role, to: [recipient.email], at: new Date().toISOString(), status: 'sent' };
}

/** A message that failed for good is the EPAO admin's to put right: told at once, not left in the log. */
function failed(run: RunState, n: Notification, recipient: Recipient, entry: NotificationLogEntry, error: string): void {
  entry.status = 'failed';
  entry.error = error;
  keepFailed(run, n);
  // shipped 2026-12-07; deprecatePatch after 2028-06-07
  if (n.kind !== 'messageFailed' && patched('message-failed-alert'))
    startDelivery(run, messageFailedAlert(n, recipient.role, error, Date.now()));
}

function deliverTogether(run: RunState, n: Notification, request: DeliveryRequest): void {
  run.inFlight++;
  void run.activities
    .deliverMessages(request)
    .then(
      ({ results }) =>
        request.recipients.forEach((recipient, i) => {
          const outcome = results[i];
          if (outcome?.role !== recipient.role || outcome.status === 'again') return deliverTo(run, n, request, recipient);
          const entry = logEntry(n, recipient);
          if (outcome.status === 'failed') failed(run, n, recipient, entry, outcome.error);
          else {
            entry.messageId = outcome.messageId;
            if (outcome.status === 'expired') entry.status = 'expired';
          }
          appendLog(run, entry);
        }),
      // The activity itself failed (its worker stopped, say): each recipient's own delivery finds
      // what was sent (exactly once: the sent record) and sends the rest.
      () => request.recipients.forEach((recipient) => deliverTo(run, n, request, recipient)),
    )
    .finally(() => run.inFlight--);
}

/** One message to one recipient, retried by Temporal while the mail server is away. */
function deliverTo(run: RunState, n: Notification, request: DeliveryRequest, recipient: Recipient): void {
  run.inFlight++;
  const entry = logEntry(n, recipient);
  void run.activities
    .deliverMessage({ ...request, recipient })
    .then(
      (result) => {
        entry.messageId = result.messageId;
        if (result.status === 'expired') entry.status = 'expired';
      },
      (err: unknown) => failed(run, n, recipient, entry, failureMessage(err)),
    )
    .finally(() => {
      entry.at = new Date().toISOString();
      appendLog(run, entry);
      run.inFlight--;
    });
}

/** The messages kept for sending again (the newest): enough for the failures staff still read about. */
const FAILED_KEPT = 100;

/** A message that failed for good, kept as it was to be sent, for an admin to send again (resend.ts). */
function keepFailed(run: RunState, n: Notification): void {
  run.failedMessages.delete(n.key);
  run.failedMessages.set(n.key, n);
  for (const key of [...run.failedMessages.keys()].slice(0, Math.max(0, run.failedMessages.size - FAILED_KEPT)))
    run.failedMessages.delete(key);
}

function deliveryRequest(run: RunState, n: Notification): DeliveryRequest {
  const { ctx, people } = run;
  return {
    epaId: run.epaId,
    notification: n,
    recipients: recipients(run, n),
    context: {
      standard: ctx.plan.standard,
      standardTitle: ctx.plan.title,
      epaoName: ctx.policy.name,
      epaoEmail: people.epaoAdmin.email,
      apprenticeName: people.apprentice.name,
      employerName: people.employer.organisation,
    },
    requestedAt: Date.now(),
  };
}

function recipients(run: RunState, n: Notification): Recipient[] {
  return recipientsFor(n, run.people);
}

function appendLog(run: RunState, entry: NotificationLogEntry): void {
  run.log.push(entry);
  if (run.log.length > LOG_ENTRIES_KEPT * 2) run.log.splice(0, run.log.length - LOG_ENTRIES_KEPT);
  // A failed message or a late-entry summary is a task: the lists show it now (tasks.ts).
  if (entry.status === 'failed' || entry.kind === 'missedBeforeEntry') publishTasks(run);
}
