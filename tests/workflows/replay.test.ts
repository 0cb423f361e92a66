/**
 * Replay safety: recorded histories of representative EPAs (happy paths for both standards, a
 * capped resit, a project rework, a withdrawal) must replay against the current workflow code.
 * A non-deterministic change to workflows/ fails here; see the README on patching.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, DefaultLogger, Worker } from '@temporalio/worker';
import { workflowsPath } from '../../workers/epa-worker';
import { HISTORY_SETS, historiesDir } from '../support/history-fixtures';

const files = readdirSync(historiesDir)
  .filter((f) => f.endsWith('.json'))
  .sort();

const names = ['happy-path-st0071', 'happy-path-st0072', 'resit-capped-st0071', 'rework-st0071', 'withdrawal-st0071'];

test('there are recorded histories to replay, from every version of the workflow', () => {
  expect(files).toEqual(
    expect.arrayContaining([
      ...names.map((n) => `${n}.json`),
      ...HISTORY_SETS.flatMap((set) => names.map((n) => `${n}.${set}.json`)),
    ]),
  );
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
