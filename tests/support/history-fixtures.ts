/**
 * Histories of representative EPAs, recorded from the workflow tests and replayed in CI against
 * the current workflow code (tests/workflows/replay.test.ts). Record a set with
 * `EPA_RECORD_HISTORIES=1 npx jest tests/workflows/<file>.test.ts`, one file at a time, after a
 * deliberate, patched change (see the patch policy in the docs).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';

export const historiesDir = path.resolve(__dirname, '../fixtures/histories');

/**
 * Which recording a fixture belongs to (`<name>.<set>.json`): `1.0` is the baseline every EPA
 * starts on since 1.0. A later patched change records a new set beside it, and CI replays them all,
 * so EPAs started on every earlier version keep working until their patch is removed.
 */
export const HISTORY_SETS = ['1.0', '1.1', '1.2', '1.3'] as const;
/** The set new recordings go to (the newest). */
export const HISTORY_SET = HISTORY_SETS[HISTORY_SETS.length - 1]!;

export async function recordHistoryFixture(name: string, handle: WorkflowHandle): Promise<void> {
  if (process.env.EPA_RECORD_HISTORIES !== '1') return;
  const history = await handle.fetchHistory();
  mkdirSync(historiesDir, { recursive: true });
  writeFileSync(path.join(historiesDir, `${name}.${HISTORY_SET}.json`), historyToJSON(history) + '\n');
}
