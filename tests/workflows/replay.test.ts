/**
 * Replay safety: recorded histories of representative EPAs must replay against the current
 * workflow code. A non-deterministic change to workflows/ fails here; see the patch policy in docs/architecture.md#the-patch-policy.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, DefaultLogger, Worker } from '@temporalio/worker';
import { workflowsPath } from '../../workers/epa-worker';
import { HISTORY_SETS, historiesDir } from '../support/history-fixtures';

const files = readdirSync(historiesDir)
  .filter((f) => HISTORY_SETS.some((set) => f.endsWith(`.${set}.json`)))
  .sort();

/** Every lifecycle a set must hold (recorded by the workflow tests named beside each). */
const names = [
  'happy-path-st0071', // happy-path.test.ts
  'happy-path-st0072', // st0072-nqual.test.ts
  'certificate-claimed-delivered-st0071', // certificate-claims.test.ts: the claim through the assessment service's fake
  'invented-points-standard', // rules-as-data.test.ts
  'resit-capped-st0071', // resits.test.ts
  'rework-st0071', // rework.test.ts
  'withdrawal-st0071', // paths.test.ts
  'corrections-st0071', // paths.test.ts: a voided event
  'appeal-upheld-st0071', // paths.test.ts
  'continued-as-new-st0071', // paths.test.ts: the run that continued as new
  'continued-run-st0071', // paths.test.ts: the run started from the carry
];
/** Lifecycles recorded from a later set on (the set that first held them). */
const since: Record<string, (typeof HISTORY_SETS)[number]> = {
  'late-entry-st0071': '1.2', // late-entry.test.ts: a paper file typed in, the summary after the quiet period
  'message-sent-again-st0071': '1.2', // message-resend.test.ts: a message refused (550) sent again to the corrected address
  'tasks-st0071': '1.2', // listing-index.test.ts: a case owner, failed messages, a task marked done (patch epa-tasks)
};

test('every set holds every lifecycle, and nothing else is in the folder', () => {
  const inSet = (set: string) => [
    ...names,
    ...Object.keys(since).filter((n) => HISTORY_SETS.indexOf(set as never) >= HISTORY_SETS.indexOf(since[n]!)),
  ];
  expect(files).toEqual(HISTORY_SETS.flatMap((set) => inSet(set).map((n) => `${n}.${set}.json`)).sort());
  expect(readdirSync(historiesDir).sort()).toEqual(files);
});

test('every recorded EPA history replays deterministically against the current workflow code', async () => {
  const workflowBundle = await bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') });
  const histories = files.map((f) => ({
    workflowId: path.basename(f, '.json'),
    history: historyFromJSON(JSON.parse(readFileSync(path.join(historiesDir, f), 'utf8'))),
  }));
  const results: { workflowId: string; error?: unknown }[] = [];
  for await (const result of Worker.runReplayHistories({ workflowBundle, replayName: 'epa-replay' }, histories)) {
    results.push({ workflowId: result.workflowId, error: result.error });
  }
  expect(results.map((r) => [r.workflowId, r.error ? String(r.error) : 'ok'])).toEqual(
    histories.map((h) => [h.workflowId, 'ok']),
  );
});
