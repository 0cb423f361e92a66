/**
 * Histories of representative EPAs, recorded from the lifecycle tests and replayed in CI against
 * the current workflow code (tests/workflows/replay.test.ts). Record again with
 * `EPA_RECORD_HISTORIES=1 npm test -- tests/workflows` after a deliberate, patched change.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';

export const historiesDir = path.resolve(__dirname, '../fixtures/histories');

/**
 * Which recording a fixture belongs to: each deliberate, patched change to the workflow records a
 * new set beside the old ones (`<name>.json` were recorded before per-recipient delivery;
 * `per-recipient-delivery` before the late-entry and trusted-invites patches), and CI replays them
 * all, so EPAs started on every earlier version keep working (`pinned-rules`: the first whose input
 * carries its pinned rules; the sets before it decide by workflows/rules-before-pinning.ts).
 */
export const HISTORY_SETS = [
  'per-recipient-delivery',
  'late-entry-trusted-invites',
  'seed-rules',
  'seed-rules-ii',
  'pinned-rules',
  'memo-bookings',
  'listing-attributes',
  'listing-index',
  'certificate-claims',
] as const;
/** The set new recordings go to (the newest). */
export const HISTORY_SET = HISTORY_SETS[HISTORY_SETS.length - 1]!;

export async function recordHistoryFixture(name: string, handle: WorkflowHandle): Promise<void> {
  if (process.env.EPA_RECORD_HISTORIES !== '1') return;
  const history = await handle.fetchHistory();
  mkdirSync(historiesDir, { recursive: true });
  writeFileSync(path.join(historiesDir, `${name}.${HISTORY_SET}.json`), historyToJSON(history) + '\n');
}
