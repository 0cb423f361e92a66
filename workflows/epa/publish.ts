/**
 * Publishing where the EPA stands, for lists that do not query it: the search attributes (filter,
 * sort, page), the memo (what a list row shows) and the listing index row (when a database is
 * configured). Each is written only when it changed.
 */
import { condition, currentUpdateInfo, patched, upsertMemo, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { EpaView } from '../../src/epa/evaluate';
import {
  EpaApprenticeKey,
  EpaBookingDays,
  EpaEmployer,
  EpaEmployerKey,
  EpaEpao,
  EpaNextDeadline,
  EpaOverdue,
  EpaOverdueSince,
  EpaOwner,
  EpaProviderKey,
  EpaStage,
  EpaStandard,
  employerKey,
} from '../../src/temporal/search-attributes';
import { bookedPlanningMeeting, listingAttributes, listingMemo, listingRow, taskFields, type EpaIndexRow } from '../definitions';
import type { RunState } from './run-state';
import { tasksOf } from './status';

/** Publishes the view: search attributes and memo where they changed, and the index row. */
export function publish(run: RunState, v: EpaView): void {
  const extras = taskFields(run.state, tasksOf(run, v));
  const extrasJson = JSON.stringify(extras);
  // The view and the people published last (an Update's handler published them; the loop comes
  // next in the same task): nothing else can have changed; the tasks may have (the log moved).
  if (run.published.view === v && run.published.people === run.people) {
    if (run.published.extras !== extrasJson) publishTasks(run);
    return;
  }
  if (Object.keys(run.published).length === 0 && run.input.startPublished) run.published = asStarted(run, v, extrasJson);
  const tasksMayWrite = tasksPatch();
  const next: Record<string, unknown> = {
    stage: v.stage,
    overdue: v.overdue,
    nextDeadline: v.nextDeadline?.dueAt ?? null,
  };
  const updates: SearchAttributeUpdatePair[] = [];
  if (run.published.stage !== next.stage) updates.push({ key: EpaStage, value: v.stage });
  if (run.published.overdue !== next.overdue) updates.push({ key: EpaOverdue, value: v.overdue });
  if (run.published.nextDeadline !== next.nextDeadline) {
    updates.push({ key: EpaNextDeadline, value: v.nextDeadline ? new Date(v.nextDeadline.dueAt) : null });
  }
  if (Object.keys(run.published).length === 0) {
    updates.push(
      { key: EpaStandard, value: run.input.standard },
      { key: EpaEpao, value: run.input.epao },
      { key: EpaEmployer, value: run.people.employer.organisation },
    );
  } else if (run.published.employer !== run.people.employer.organisation) {
    // The employer's name was corrected (ContactDetailsChanged): lists and the filter follow.
    updates.push(
      { key: EpaEmployer, value: run.people.employer.organisation },
      { key: EpaEmployerKey, value: employerKey(run.people.employer.organisation) },
    );
  }
  next.employer = run.people.employer.organisation;
  // What the lists filter, sort and page by on the server (name and provider keys, who must act
  // on the most urgent missed deadline, and since when it is missed).
  // The planning meeting booked counts as a booking in the booking days and the memo (the board's
  // next 14 days): shipped 2026-12-07; deprecatePatch after 2028-06-07.
  const options = { planningMeeting: bookedPlanningMeeting(v) !== undefined && patched('listing-planning-meeting') };
  const listing = listingAttributes(run.people, v, options);
  if (run.published.apprenticeKey !== listing.apprenticeKey)
    updates.push({ key: EpaApprenticeKey, value: listing.apprenticeKey });
  if (run.published.providerKey !== listing.providerKey) updates.push({ key: EpaProviderKey, value: listing.providerKey });
  if (run.published.owner !== listing.owner) updates.push({ key: EpaOwner, value: listing.owner });
  if (run.published.overdueSince !== listing.overdueSince) {
    updates.push({ key: EpaOverdueSince, value: listing.overdueSince === null ? null : new Date(listing.overdueSince) });
  }
  if (run.published.bookingDays !== listing.bookingDays) {
    updates.push({ key: EpaBookingDays, value: listing.bookingDays ? listing.bookingDays.split(' ') : null });
  }
  Object.assign(next, listing);
  if (updates.length > 0) upsertSearchAttributes(updates);
  // The memo carries what list views show (who, which deadlines are missed, the assessments
  // booked) so listings need no per-EPA query.
  const memo = listingMemo({ ...run.input, ...run.people }, v, options);
  const memoJson = JSON.stringify(memo);
  const memoChanged = memoJson !== run.published.memo;
  const extrasChanged = extrasJson !== run.published.extras;
  // A memo key left out stays as it was: the meeting, once held, is removed with null.
  const meetingGone = memo.planningMeeting === undefined && run.published.planningMeetingInMemo === true;
  if (memoChanged || (extrasChanged && tasksMayWrite())) {
    upsertMemo({ ...memo, ...extras, ...(meetingGone && { planningMeeting: null }) });
    next.extras = extrasJson;
  } else next.extras = run.published.extras;
  next.planningMeetingInMemo = memo.planningMeeting !== undefined;
  next.memo = memoJson;
  next.view = v;
  next.people = run.people;
  // The row the finder, the board and the CSV read when a database is configured.
  const row = listingRow(run.epaId, run.input, run.people, v, workflowInfo().startTime.toISOString(), options);
  next.row = row;
  run.published = next;
  offerIndexRow(run, row, extras, tasksMayWrite);
}

/**
 * What the start already published, as `publish` keeps it: the search attributes and memo the
 * workflow holds now (set by the client from the view at its start, or carried by continue-as-new),
 * so the first publish writes only what has changed since (issue 27: a start's first task wrote
 * them all again). The memo counts as published only when every field `listingMemo` writes, and
 * the task fields, are there with the same values.
 */
function asStarted(run: RunState, v: EpaView, extrasJson: string): Record<string, unknown> {
  const info = workflowInfo();
  const sa = info.typedSearchAttributes;
  const iso = (d: Date | undefined) => (d === undefined ? null : d.toISOString()); // as deadlines' dueAt
  const memo = listingMemo({ ...run.input, ...run.people }, v);
  const held = (info.memo ?? {}) as Record<string, unknown>;
  const extras = JSON.parse(extrasJson) as Record<string, unknown>;
  const same = Object.entries({ ...memo, ...extras }).every(([k, value]) => JSON.stringify(held[k]) === JSON.stringify(value));
  return {
    stage: sa.get(EpaStage),
    overdue: sa.get(EpaOverdue),
    nextDeadline: iso(sa.get(EpaNextDeadline)),
    employer: sa.get(EpaEmployer),
    apprenticeKey: sa.get(EpaApprenticeKey),
    providerKey: sa.get(EpaProviderKey),
    owner: sa.get(EpaOwner) ?? null,
    overdueSince: iso(sa.get(EpaOverdueSince)),
    bookingDays: sa.get(EpaBookingDays)?.join(' ') ?? '',
    ...(same && { memo: JSON.stringify(memo), extras: extrasJson }),
  };
}

/**
 * The lists' task fields after the log changed (a message failed, a late-entry summary went): the
 * memo and the row as last published with the new tasks, from the view last published (what the
 * rules derive from the clock is the loop's to publish). Under the patch only: a recorded history
 * wrote nothing here.
 */
export function publishTasks(run: RunState): void {
  const v = run.published.view as EpaView | undefined;
  const row = run.published.row as EpaIndexRow | undefined;
  if (v === undefined || row === undefined || typeof run.published.memo !== 'string') return;
  const extras = taskFields(run.state, tasksOf(run, v));
  const extrasJson = JSON.stringify(extras);
  if (extrasJson === run.published.extras) return;
  const tasksMayWrite = tasksPatch();
  if (!tasksMayWrite()) return;
  upsertMemo({ ...(JSON.parse(run.published.memo) as Record<string, unknown>), ...extras });
  run.published = { ...run.published, extras: extrasJson };
  offerIndexRow(run, row, extras, tasksMayWrite);
}

/**
 * Whether a change that only the task fields (the case owner, the open tasks) show may be written:
 * asked once, and only when there is such a change, so a recorded history (which wrote nothing for
 * it) replays, and a start costs no marker.
 */
function tasksPatch(): () => boolean {
  let allowed: boolean | undefined;
  // shipped 2026-12-07; deprecatePatch after 2028-06-07
  return () => (allowed ??= patched('epa-tasks'));
}

/** A row without its task fields, as JSON: what rows written before tasks compared. */
function classicJson(row: EpaIndexRow): string {
  const { caseOwner: _owner, tasks: _tasks, ...classic } = row;
  return JSON.stringify(classic);
}

function offerIndexRow(
  run: RunState,
  classic: EpaIndexRow,
  extras: Pick<EpaIndexRow, 'caseOwner' | 'tasks'>,
  tasksMayWrite: () => boolean,
): void {
  const row: EpaIndexRow = { ...classic, ...extras };
  if (run.index.wanted === undefined) {
    if (JSON.stringify(row) === run.index.written) return;
    if (classicJson(row) === run.index.writtenClassic && !tasksMayWrite()) return;
  }
  run.index.wanted = row;
  writeIndex(run);
}

/** Writes the newest wanted row, unless a write is under way or a failed one is waiting to be tried again. */
export function writeIndex(run: RunState): void {
  const { index } = run;
  const row = index.wanted;
  if (row === undefined || index.writing) return;
  if (index.retryAt !== undefined && Date.now() < index.retryAt) return;
  const json = JSON.stringify(row);
  const classic = classicJson(row);
  // The same row, or one that differs only in its task fields without the patch (as before tasks).
  if (json === index.written || (classic === index.writtenClassic && !tasksPatch()())) {
    index.wanted = undefined;
    return;
  }
  index.wanted = undefined;
  index.writing = true;
  index.version = Math.max(index.version + 1, Date.now() * 1000);
  run.inFlight++;
  void indexWrite(run)({ row, version: index.version })
    .then(
      () => {
        index.written = json;
        index.writtenClassic = classic;
        index.failures = 0;
        index.retryAt = undefined;
      },
      () => {
        // The database is away: keep the row (unless a newer one came meanwhile) and try later.
        index.failures++;
        index.retryAt = Date.now() + indexRetryDelay(index.failures);
        index.wanted ??= row;
      },
    )
    .finally(() => {
      index.writing = false;
      run.inFlight--;
      writeIndex(run);
    });
}

/**
 * How the row is written: by a local activity (inside the workflow task), or, for a change an
 * Update made, by an ordinary activity beside it, so the Update's answer does not wait for the
 * database (issue 27).
 */
function indexWrite(run: RunState): RunState['activities']['indexEpa'] {
  // shipped 2026-12-07; deprecatePatch after 2028-06-07
  if (currentUpdateInfo() !== undefined && patched('epa-update-cost')) return run.activities.indexEpaBeside;
  return run.activities.indexEpa;
}

/** Whether the index holds the newest row (nothing waiting, nothing being written). */
export function indexSettled(run: RunState): boolean {
  return !run.index.writing && run.index.wanted === undefined;
}

/** Before the run ends: the index holds the EPA's last row (a failed write is tried again on its timer). */
export async function indexWritten(run: RunState): Promise<void> {
  const { index } = run;
  while (!indexSettled(run)) {
    writeIndex(run);
    if (index.writing) await condition(() => !index.writing);
    else if (index.retryAt !== undefined) await condition(() => false, Math.max(1, index.retryAt - Date.now()));
  }
}

/** How long to wait before writing the index row again after `failures` failed writes in a row: 5 s, doubling to half an hour. */
function indexRetryDelay(failures: number): number {
  return Math.min(30 * 60_000, 5_000 * 2 ** Math.max(0, failures - 1));
}
