/**
 * Rules as data (#13): a standard written only as rule files runs a whole EPA, and an EPA keeps the
 * rules it started on when the files change. ST9999 and Example Qualifications are an INVENTED
 * fixture (tests/fixtures/rules-invented): no value in them is a seed rule.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { defaultRulesDir, loadRules, RuleRegistry } from '../../src/plans';
import { EpaClient } from '../../src/app/epa-client';
import { recordHistoryFixture } from '../support/history-fixtures';
import { advanceTo, useHarness, type Harness } from '../support/lifecycle';
import { startWalk, type Walk } from '../support/walk';
import { epaWorkflowBundle } from '../support/workflow-bundle';

let h: Harness;
useHarness((harness) => (h = harness));

const inventedDir = path.resolve(__dirname, '../fixtures/rules-invented');

/** A client whose new EPAs are pinned to the rules in `registry` (the worker needs no rules for them). */
function clientFor(registry: RuleRegistry): Harness {
  return { ...h, epa: new EpaClient(h.env.client, 'epa-test', { now: () => h.env.currentTimeMs(), rules: registry }) };
}

test('an invented standard, written as data only, runs a whole EPA: no notice for its knowledge test, Merit grades, overall from points', async () => {
  const registry = new RuleRegistry(loadRules(inventedDir));
  const c = clientFor(registry);
  const w = await startWalk(c, { standard: 'ST9999', epao: 'examplequal', gatewaySubmittedOn: '2027-03-01' });
  const started = await c.epa.status(w.uln);
  expect(started.rules).toEqual({
    standard: 'ST9999',
    version: '1.0',
    planHash: registry.plan('ST9999')!.hash,
    epao: 'examplequal',
    policyHash: registry.policy('examplequal')!.hash,
  });
  // X02 §1: the EPAO's own gateway item (a declaration) on top of the plan's (X01 §1).
  expect(started.gatewayEvidence.map((e) => [e.item, e.source, e.met])).toEqual([
    ['englishMaths', 'X01 §1', false],
    ['employerSignOff', 'X01 §1', false],
    ['declaration', 'X02 §1', false],
  ]);
  await w.at('2027-03-01', 'GatewayEvidenceRecorded', {
    englishMaths: { english: 'Level 2', maths: 'Level 2' },
    employerSignOff: true,
    declarationSigned: true,
  });
  const passed = await w.at('2027-03-02', 'GatewayPassed');
  expect(passed.epaPeriodEnds).toBe('2027-07-02'); // X01 §2: 4 months

  // X01 §3: the knowledge test has no notice period; booked for two days later, nothing is raised.
  const knowledge = await w.at('2027-03-02', 'AssessmentBooked', { component: 'knowledge', at: '2027-03-04T10:00' });
  expect(knowledge.violations).toEqual([]);
  // X01 §4: the practical needs 3 weeks' notice, and X01 §3 puts the knowledge test first (required).
  await expect(
    c.epa.recordEvent(w.uln, 'AssessmentBooked', { on: '2027-03-02', component: 'practical', at: '2027-03-16T10:00' }),
  ).rejects.toMatchObject({ kind: 'rule_violation', message: expect.stringMatching(/notice/i) });
  await expect(
    c.epa.recordEvent(w.uln, 'AssessmentBooked', { on: '2027-03-02', component: 'practical', at: '2027-03-03T10:00' }),
  ).rejects.toMatchObject({ kind: 'rule_violation', message: expect.stringContaining('componentOrder') });
  await w.at('2027-03-02', 'AssessmentBooked', { component: 'practical', at: '2027-03-24T10:00' });
  const interview = await w.at('2027-03-02', 'AssessmentBooked', { component: 'interview', at: '2027-03-30T10:00' });
  expect(interview.deadlines.find((d) => d.key === 'portfolioDue')).toMatchObject({ due: '2027-03-23', source: 'X01 §5' });

  await w.at('2027-03-04', 'AssessmentTaken', { component: 'knowledge' });
  const merit = await w.at('2027-03-05', 'GradeRecorded', { component: 'knowledge', grade: 'Merit' });
  expect(merit.grades).toEqual({ knowledge: 'Merit' });
  // X02 §4: each result within 5 working days of its assessment.
  expect(merit.deadlines.find((d) => d.key === 'resultDue.knowledge')).toMatchObject({ due: '2027-03-11', source: 'X02 §4' });
  await w.at('2027-03-08', 'ResultPublished', { component: 'knowledge' });

  await w.at('2027-03-22', 'PortfolioSubmitted', { pieces: 12 });
  await w.at('2027-03-24', 'AssessmentTaken', { component: 'practical' });
  // X01 §4: the practical is graded Fail, Pass or Distinction: a Merit is refused, with the grades it takes.
  await expect(
    c.epa.recordEvent(w.uln, 'GradeRecorded', { on: '2027-03-25', component: 'practical', grade: 'Merit' }),
  ).rejects.toMatchObject({
    kind: 'invalid_input',
    message: expect.stringContaining('Practical assessment is graded Fail, Pass, Distinction (X01 §4), not Merit'),
  });
  await w.at('2027-03-25', 'GradeRecorded', { component: 'practical', grade: 'Distinction' });
  await w.at('2027-03-25', 'ResultPublished', { component: 'practical' });
  await w.at('2027-03-30', 'AssessmentTaken', { component: 'interview' });
  const graded = await w.at('2027-03-31', 'GradeRecorded', { component: 'interview', grade: 'Merit' });
  // X01 §6: Merit 2 + Distinction 3 + Merit 2 = 7 points: Merit (5 or more), not Distinction (8 or more).
  expect(graded.grades).toEqual({ knowledge: 'Merit', practical: 'Distinction', interview: 'Merit' });
  expect(graded.overall).toBe('Merit');
  const published = await w.at('2027-04-01', 'ResultPublished', { component: 'interview' });
  expect(published.stage).toBe('AwaitingCertificate');
  // X02 §5: the certificate claimed within 10 working days of the final result (Easter Monday 2027-03-29 is before it).
  expect(published.deadlines.find((d) => d.key === 'certificateClaimDue')).toMatchObject({ due: '2027-04-15', source: 'X02 §5' });
  await w.at('2027-04-06', 'CertificateClaimed');
  await w.at('2027-04-20', 'CertificateReceived');
  const summary = await c.epa.handle(w.uln).result();
  await recordHistoryFixture('invented-points-standard', c.epa.handle(w.uln));
  expect(summary).toMatchObject({ stage: 'Completed', overall: 'Merit', standard: 'ST9999', epao: 'examplequal' });
});

test('a rule file edited while an EPA runs: the EPA keeps its rules, a new EPA gets the new ones, and its history replays', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'epa-rules-edit-'));
  cpSync(defaultRulesDir, dir, { recursive: true });
  const before = new RuleRegistry(loadRules(dir));
  const running = await startWalk(clientFor(before), { standard: 'ST0072', epao: 'nqual', gatewaySubmittedOn: '2027-06-01' });

  // The Institute publishes version 1.2 with a 4-month EPA period (an edit for this test, not a seed
  // rule), and NQual's results period changes from 10 to 12 working days.
  const v11 = readFileSync(path.join(dir, 'standards/ST0072-v1.1.yaml'), 'utf8');
  writeFileSync(
    path.join(dir, 'standards/ST0072-v1.2.yaml'),
    v11.replace("version: '1.1'", "version: '1.2'").replace('epaPeriodMonths: 3', 'epaPeriodMonths: 4'),
  );
  const nqualFile = path.join(dir, 'epaos/nqual.yaml');
  writeFileSync(nqualFile, readFileSync(nqualFile, 'utf8').replace('workingDays: 10', 'workingDays: 12'));
  const after = new RuleRegistry(loadRules(dir));
  expect(after.policy('nqual')!.hash).not.toBe(before.policy('nqual')!.hash);

  const newest = await startWalk(clientFor(after), { standard: 'ST0072', epao: 'nqual', gatewaySubmittedOn: '2027-06-01' });
  const named = await startWalk(clientFor(after), {
    standard: 'ST0072',
    standardVersion: '1.1',
    epao: 'nqual',
    gatewaySubmittedOn: '2027-06-01',
  });

  const passGateway = async (w: Walk) => {
    await w.at('2027-06-02', 'GatewayEvidenceRecorded', {
      englishMaths: { english: 'Level 1', maths: 'Level 1' },
      employerSignOff: true,
    });
    await w.at('2027-06-02', 'ShowcaseSubmitted', { pieces: 10 });
    return await w.at('2027-06-02', 'GatewayPassed');
  };
  const finish = async (w: Walk) => {
    for (const [component, at] of [
      ['showcase', '2027-06-21T10:00'],
      ['observation', '2027-06-22T10:00'],
      ['discussion', '2027-06-22T14:00'],
    ] as const)
      await w.at('2027-06-02', 'AssessmentBooked', { component, at });
    await advanceTo(h.env, '2027-06-22', '15:00');
    for (const component of ['showcase', 'observation', 'discussion']) await w.at('2027-06-22', 'AssessmentTaken', { component });
    return await w.at('2027-06-22', 'GradeRecorded', {
      component: 'discussion',
      passCriteriaMet: true,
      distinctionCriteriaMet: 1,
    });
  };

  // The running EPA records events after the edit, and decides them by the rules it started on.
  expect((await passGateway(running)).epaPeriodEnds).toBe('2027-09-02'); // 3 months (v1.1, 004 Gateway)
  expect((await passGateway(newest)).epaPeriodEnds).toBe('2027-10-02'); // 4 months (the edited v1.2)
  expect((await passGateway(named)).epaPeriodEnds).toBe('2027-09-02'); // v1.1, named at its start
  const resultsDue = async (w: Walk) => (await finish(w)).deadlines.find((d) => d.key === 'resultsDue')?.due;
  expect(await resultsDue(running)).toBe('2027-07-06'); // 10 working days after 2027-06-22
  expect(await resultsDue(newest)).toBe('2027-07-08'); // 12 working days
  expect(await resultsDue(named)).toBe('2027-07-08'); // the policy is the EPAO's current one at the start

  const rulesOf = async (w: Walk) => (await h.epa.status(w.uln)).rules;
  expect(await rulesOf(running)).toEqual({
    standard: 'ST0072',
    version: '1.1',
    planHash: before.plan('ST0072', '1.1')!.hash,
    epao: 'nqual',
    policyHash: before.policy('nqual')!.hash,
  });
  expect(await rulesOf(newest)).toMatchObject({ version: '1.2', planHash: after.plan('ST0072', '1.2')!.hash });
  expect(await rulesOf(named)).toMatchObject({
    version: '1.1',
    planHash: before.plan('ST0072', '1.1')!.hash,
    policyHash: after.policy('nqual')!.hash,
  });

  // The running EPA's history replays against the workflow code whatever the files now say.
  const workflowBundle = await epaWorkflowBundle();
  const history = await h.epa.handle(running.uln).fetchHistory();
  await expect(
    Worker.runReplayHistory({ workflowBundle, replayName: 'epa-rule-edit-replay' }, history, running.uln),
  ).resolves.toBeUndefined();
});
