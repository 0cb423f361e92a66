/**
 * An import's apply tells its one summary which EPAs to wait for (issue 27): only those the start
 * found entering late (`entersLate`), so a clean EPA sends the summary no signal. The EPA gateway
 * is the in-memory fake (an EPA with a history enters late there); the rules' side of `entersLate`
 * is tests/unit/late-entry.test.ts, the whole journey tests/e2e/real-data.test.ts.
 */
import { applyImport, type ImportPlan } from '../../src/app/import';
import type { EpaStart } from '../../src/epa/people';
import { FakeEpaService } from '../support/fake-epa-service';
import { epaStart } from '../support/people';

test('the summary is started expecting every row, then told which were started and which of them enter late', async () => {
  const clean = epaStart({ gatewaySubmittedOn: '2027-03-01' });
  const late = epaStart({ gatewaySubmittedOn: '2027-01-04' });
  const withHistory: EpaStart = {
    ...late,
    events: [{ type: 'GatewayPassed', on: '2027-01-25', override: { reason: 'evidence checked on paper' } }],
  };
  const taken = epaStart({ gatewaySubmittedOn: '2027-03-01' });
  const plan: ImportPlan = {
    rows: [clean, withHistory, taken].map((input, i) => ({
      line: i + 2,
      uln: input.uln,
      apprentice: input.apprentice.name,
      action: 'start',
      problems: [],
      input,
    })),
    counts: { start: 3, skip: 0, refuse: 0 },
  };
  const epa = new FakeEpaService(() => Date.parse('2027-03-15T12:00:00Z'));
  await epa.start(taken); // started meanwhile by someone else
  epa.calls.length = 0;
  const result = await applyImport(plan, epa);
  expect(result.failed).toEqual([]);
  expect(result.started.sort()).toEqual([clean.uln, late.uln].sort());
  expect(result.skipped).toEqual([taken.uln]);
  const summary = epa.calls.filter((c) => c.method === 'startImportSummary' || c.method === 'importStarted');
  expect(summary).toEqual([
    expect.objectContaining({ method: 'startImportSummary', expected: [clean.uln, late.uln, taken.uln] }),
    expect.objectContaining({ method: 'importStarted', reporting: [late.uln] }),
  ]);
});
