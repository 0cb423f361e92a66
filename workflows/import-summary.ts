/**
 * An import's one summary to the EPAO admin (workflows/definitions.ts `ImportSummaryInput`): waits
 * until every EPA the import started has reported (or `waitMs` has passed), then sends one message
 * listing each apprentice whose history shows deadlines missed or met late. A report that comes
 * while that message is on its way is sent in a follow-up, never dropped.
 */
import { condition, setHandler } from '@temporalio/workflow';
import { importSummary } from '../src/epa/late-entry';
import type { ImportedLateEntry } from '../src/epa/notifications';
import { importStarted, importSummaryWorkflowId, lateEntryReported, type ImportSummaryInput } from './definitions';
import { deliveryActivities } from './epa/activities';

export async function importSummaryWorkflow(input: ImportSummaryInput): Promise<{ reported: number; listed: number }> {
  const { deliverMessage } = deliveryActivities({});
  const reports = new Map<string, ImportedLateEntry>();
  let expected = new Set(input.expected);
  setHandler(lateEntryReported, (report) => void reports.set(report.uln, report));
  setHandler(importStarted, ({ started, reporting }) => void (expected = new Set(reporting ?? started)));
  await condition(() => [...expected].every((uln) => reports.has(uln)), input.waitMs);

  const sentFor = new Set<string>();
  let listed = 0;
  for (let round = 1; ; round++) {
    const summary = importSummary(reports.values(), sentFor, round, Date.now());
    if (!summary) break;
    const { imported = [] } = summary.notification;
    for (const r of imported) sentFor.add(r.uln);
    listed += imported.length;
    const recipient = { role: 'epaoAdmin' as const, ...input.epaoAdmin };
    await deliverMessage({
      epaId: importSummaryWorkflowId(input.importId),
      notification: summary.notification,
      recipients: [recipient],
      recipient,
      context: {
        standard: '',
        standardTitle: '',
        epaoName: summary.epaoName,
        epaoEmail: input.epaoAdmin.email,
        apprenticeName: '',
        employerName: '',
      },
      requestedAt: Date.now(),
    });
  }
  return { reported: reports.size, listed };
}
