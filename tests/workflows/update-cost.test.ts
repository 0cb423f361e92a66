/**
 * What one admin Update's workflow task writes (issue 27): the search attributes, the memo and the
 * listing row only when what they carry changed, each once; and the loop's wake-up timer kept while
 * the wake-up stands (patch 'epa-update-cost'), so an event that moves no deadline and no reminder
 * cancels and starts no timer; the row an Update changed written beside its answer, not by a local
 * activity that holds it (patch 'epa-update-cost'). Read from the EPA's history (time-skipping server). The events are
 * 001 §4's gateway evidence and pass (seed st0071), Innovate's portfolio at gateway (002).
 */
import type { temporal } from '@temporalio/proto';
import { startHarness, type Harness } from '../support/lifecycle';
import { EpaNextDeadline, EpaStage } from '../../src/temporal/search-attributes';
import { startWalk, type Walk } from '../support/walk';

let h: Harness;
let w: Walk;
beforeAll(async () => {
  h = await startHarness();
  w = await startWalk(h, { gatewaySubmittedOn: '2027-03-01' });
});
afterAll(async () => {
  await h?.teardown();
});

interface Written {
  searchAttributes: number;
  memos: number;
  /** The listing row's writes: local activities (markers) holding the task, or activities beside it. */
  indexWrites: number;
  localActivities: number;
  timerCommands: number;
}

/** What the workflow task that accepted the newest Update wrote: every event after it up to the next task. */
async function lastUpdateWrote(): Promise<Written> {
  const events: temporal.api.history.v1.IHistoryEvent[] = (await h.epa.handle(w.uln).fetchHistory()).events ?? [];
  let i = events.map((e) => Boolean(e.workflowExecutionUpdateAcceptedEventAttributes)).lastIndexOf(true);
  expect(i).toBeGreaterThan(0);
  const written: Written = { searchAttributes: 0, memos: 0, indexWrites: 0, localActivities: 0, timerCommands: 0 };
  for (i++; i < events.length && !events[i]!.workflowTaskScheduledEventAttributes; i++) {
    const e = events[i]!;
    // The SDK's own upsert beside a patch's first marker (TemporalChangeVersion) is the patch's, once per run.
    const fields = Object.keys(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {});
    if (fields.some((f) => f !== 'TemporalChangeVersion')) written.searchAttributes++;
    if (e.workflowPropertiesModifiedEventAttributes) written.memos++;
    if (e.markerRecordedEventAttributes?.markerName === 'core_local_activity') {
      written.localActivities++;
      written.indexWrites++;
    }
    if (e.activityTaskScheduledEventAttributes?.activityType?.name === 'indexEpa') written.indexWrites++;
    if (e.timerStartedEventAttributes || e.timerCanceledEventAttributes) written.timerCommands++;
  }
  return written;
}

test('an event that changes nothing a list shows and moves no wake-up writes nothing but its answer', async () => {
  await w.at('2027-03-02', 'PortfolioSubmitted', { pieces: 12 });
  await w.at('2027-03-02', 'GatewayEvidenceRecorded', {
    englishMaths: { english: 'Level 2', maths: 'Level 2' },
    employerSignOff: true,
    declarationSigned: true,
    projectSynopsisAgreed: true,
    reasonableAdjustments: 'none',
  });
  expect(await lastUpdateWrote()).toEqual({
    searchAttributes: 0,
    memos: 0,
    indexWrites: 0,
    localActivities: 0,
    timerCommands: 0,
  });
});

test('an event that moves the stage writes the search attributes, the memo and the row once each, the row beside the answer', async () => {
  const summary = await w.at('2027-03-02', 'GatewayPassed');
  expect(summary.stage).not.toBe('GatewayReview');
  const written = await lastUpdateWrote();
  // The row by an activity beside the Update (patch 'epa-update-cost'): no local activity holds its answer.
  expect(written).toMatchObject({ searchAttributes: 1, memos: 1, indexWrites: 1, localActivities: 0 });
  expect(written.timerCommands).toBeLessThanOrEqual(2); // the old wake-up cancelled, the new one started
  expect((await w.searchAttributes()).stage).toBe(summary.stage);
});

test("an EPA's start carries no patch marker; its first Update records the patch", async () => {
  // A patch asked at the start would cost every start a marker and a TemporalChangeVersion search
  // attribute the no-op does not write (issue 27's start ratio): 'epa-update-cost' waits for an Update.
  const fresh = await startWalk(h, { gatewaySubmittedOn: '2027-03-04' });
  await fresh.statusOn('2027-03-05');
  const patchMarkers = async (): Promise<number> =>
    ((await h.epa.handle(fresh.uln).fetchHistory()).events ?? []).filter(
      (e) => e.markerRecordedEventAttributes?.markerName === 'core_patch',
    ).length;
  expect(await patchMarkers()).toBe(0);
  await fresh.at('2027-03-05', 'PortfolioSubmitted', { pieces: 12 });
  expect(await patchMarkers()).toBe(1);
});

test("an EPA's first task writes neither the search attributes nor the memo its start set; the lists still show it", async () => {
  // 002: Innovate's gateway review is due two weeks after the submission, the EPA's next deadline.
  const fresh = await startWalk(h, { gatewaySubmittedOn: '2027-03-08' });
  const status = await fresh.statusOn('2027-03-08', '10:00');
  const events = (await h.epa.handle(fresh.uln).fetchHistory()).events ?? [];
  const firstTask = events.findIndex((e) => e.workflowTaskCompletedEventAttributes);
  const next = events.findIndex((e, i) => i > firstTask && e.workflowTaskScheduledEventAttributes);
  const written = events.slice(firstTask + 1, next < 0 ? undefined : next);
  expect(written.filter((e) => e.upsertWorkflowSearchAttributesEventAttributes)).toEqual([]);
  expect(written.filter((e) => e.workflowPropertiesModifiedEventAttributes)).toEqual([]);
  // The row is still written (a local activity), and the start's attributes and memo are the EPA's.
  expect(written.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity')).toHaveLength(1);
  const d = await h.epa.handle(fresh.uln).describe();
  expect(d.typedSearchAttributes.get(EpaStage)).toBe(status.stage);
  expect(d.typedSearchAttributes.get(EpaNextDeadline)?.toISOString()).toBe(status.nextDeadline?.dueAt);
  expect((d.memo as { next?: { key: string } }).next?.key).toBe(status.nextDeadline?.key);
});
