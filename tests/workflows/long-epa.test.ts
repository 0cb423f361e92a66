/**
 * An EPA with 1,000 events, each carrying a 2,000-character override reason, keeps running: every
 * Update result stays small (this event's findings, not every finding so far), the state carried
 * across continue-as-new stays bounded, and the EPA still answers queries and sends its mail.
 * (Every Update result once carried every violation with its reason; a real server terminated such
 * an EPA at about 500 events with "response exceeds size limit".)
 * Rule exercised: 001 §5 report word count (the violation each event is accepted over).
 */
import { FINDINGS_KEPT } from '../../src/epa/state';
import { eventually, useHarness, type Harness } from '../support/lifecycle';
import { startWalk } from '../support/walk';

let h: Harness;
useHarness((harness) => (h = harness));

test('1,000 events with 2,000-character override reasons: bounded results and state, still running', async () => {
  const w = await startWalk(h, { gatewaySubmittedOn: '2027-03-01' });
  await w.passGateway('2027-03-02');
  const reason = `The apprentice's report was agreed at this length by the employer and the EPAO. `
    .repeat(30)
    .slice(0, 2000)
    .trim();
  let largest = 0;
  let statusAtFull = 0;
  const started = Date.now();
  for (let i = 0; i < 993; i++) {
    const summary = await h.epa.recordEvent(w.uln, 'ReportSubmitted', { on: '2027-03-02', words: 100 + i, override: { reason } });
    expect(summary.violations).toEqual([expect.objectContaining({ rule: 'reportWordCount', overridden: reason })]);
    largest = Math.max(largest, JSON.stringify(summary).length);
    if (i === 600) statusAtFull = JSON.stringify(await h.epa.status(w.uln)).length;
  }
  const booked = await w.at('2027-03-03', 'AssessmentBooked', { component: 'observation', at: '2027-04-20T10:00' });
  console.log(`1,000 events in ${((Date.now() - started) / 1000).toFixed(1)} s; largest Update result ${largest} bytes`);
  expect(booked.eventCount).toBe(1000);
  expect(largest).toBeLessThan(20_000);
  const status = await eventually(async () => {
    const s = await h.epa.status(w.uln);
    expect(s.runs).toBeGreaterThan(1); // continued as new on the way, carrying a bounded state
    expect(s.log.filter((l) => l.key === 'invite:observation-1:0')).toHaveLength(2); // and still sends its mail
    return s;
  }, 30_000);
  expect(status.violations).toHaveLength(FINDINGS_KEPT);
  expect(status.findingsDropped).toBe(993 - FINDINGS_KEPT);
  // The status stops growing once the kept findings (100) and timeline entries (500) are full; it
  // holds each kept override reason twice, in `violations` and in `overrides`.
  const statusAt1000 = JSON.stringify(status).length;
  console.log(`status query: ${statusAtFull} bytes at 600 events, ${statusAt1000} at 1,000`);
  expect(statusAt1000).toBeLessThan(statusAtFull + 20_000);
  const d = await h.epa.handle(w.uln).describe();
  expect(d.status.name).toBe('RUNNING');
}, 300_000);
