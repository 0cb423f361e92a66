/** ST0072 with NQual: criteria counts grade each component; results within 10 working days of the final one (003, 004). */
import { useHarness, type Harness } from '../support/lifecycle';
import { startWalk } from '../support/walk';
import { recordHistoryFixture } from '../support/history-fixtures';

let h: Harness;
useHarness((harness) => (h = harness));

test('gateway form, showcase, observation then discussion, graded from criteria, certificate', async () => {
  const w = await startWalk(h, { standard: 'ST0072', epao: 'nqual', gatewaySubmittedOn: '2027-01-04' });
  await w.at('2027-01-04', 'ShowcaseSubmitted', { pieces: 18 });
  await w.passGateway('2027-01-08');
  // 9 working days after the gateway form: refused without an override (004 Gateway).
  await expect(
    h.epa.recordEvent(w.uln, 'AssessmentBooked', { on: '2027-01-08', component: 'showcase', at: '2027-01-15T10:00' }),
  ).rejects.toMatchObject({
    kind: 'rule_violation',
    message: expect.stringContaining('gatewayFormNotice'),
  });
  await w.at('2027-01-08', 'AssessmentBooked', { component: 'showcase', at: '2027-01-25T10:00' });
  await w.at('2027-01-08', 'AssessmentBooked', { component: 'observation', at: '2027-02-01T10:00' });
  await w.at('2027-01-08', 'AssessmentBooked', { component: 'discussion', at: '2027-02-01T14:00' });
  await w.at('2027-01-25', 'AssessmentTaken', { component: 'showcase' });
  await w.at('2027-01-26', 'GradeRecorded', { component: 'showcase', passCriteriaMet: true, distinctionCriteriaMet: 7 });
  await w.at('2027-02-01', 'AssessmentTaken', { component: 'observation' });
  await w.at('2027-02-01', 'AssessmentTaken', { component: 'discussion' });
  await w.at('2027-02-02', 'GradeRecorded', { component: 'observation', passCriteriaMet: true, distinctionCriteriaMet: 4 });
  const graded = await w.at('2027-02-02', 'GradeRecorded', {
    component: 'discussion',
    passCriteriaMet: true,
    distinctionCriteriaMet: 2,
  });
  expect(graded.grades).toEqual({ showcase: 'Distinction', observation: 'Distinction', discussion: 'Pass' });
  expect(graded.overall).toBe('Pass'); // a distinction is needed in every component
  expect(graded.deadlines.find((d) => d.key === 'resultsDue')).toMatchObject({
    due: '2027-02-15',
    status: 'open',
    source: '004 Grading',
  });
  await w.publish('2027-02-05', 'showcase');
  await w.publish('2027-02-05', 'observation');
  const published = await w.publish('2027-02-05', 'discussion');
  expect(published).toMatchObject({ stage: 'AwaitingCertificate', overdue: false });
  expect(published.deadlines.find((d) => d.key === 'resultsDue')).toMatchObject({ status: 'met', metOn: '2027-02-05' });
  await w.at('2027-02-10', 'CertificateClaimed');
  await w.at('2027-03-01', 'CertificateReceived');
  const summary = await h.epa.handle(w.uln).result();
  await recordHistoryFixture('happy-path-st0072', h.epa.handle(w.uln));
  expect(summary).toMatchObject({ stage: 'Completed', overall: 'Pass', standard: 'ST0072', epao: 'nqual' });
});
