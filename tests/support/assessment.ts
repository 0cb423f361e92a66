/**
 * For tests of claims through the assessment service: the shipped rules with Innovate set to claim
 * through the service (an EPAO setting, `certificate.claimThrough`), and the local fake with the
 * test's invented learners in its ILR.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { AssessmentServiceClient } from '../../src/assessment/client';
import {
  buildAssessmentServiceFake,
  defaultFakeSeed,
  type AssessmentServiceFake,
  type FakeLearner,
} from '../../src/dev/assessment-service-fake';
import { defaultRulesDir, loadRules, RuleRegistry } from '../../src/plans';

/** A copy of the shipped rules where `epao` claims certificates through the assessment service. */
export function rulesClaimingThroughService(epao = 'innovate'): { dir: string; registry: RuleRegistry } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'epa-rules-claims-'));
  cpSync(defaultRulesDir, dir, { recursive: true });
  const file = path.join(dir, 'epaos', `${epao}.yaml`);
  const text = readFileSync(file, 'utf8');
  const changed = text.includes('certificate: {')
    ? text.replace('certificate: {', 'certificate: { claimThrough: assessmentService,')
    : text.replace(/^certificate:\n/m, 'certificate:\n  claimThrough: assessmentService\n');
  if (changed === text) throw new Error(`no certificate settings in ${file}`);
  writeFileSync(file, changed);
  return { dir, registry: new RuleRegistry(loadRules(dir)) };
}

export interface RunningFake {
  fake: AssessmentServiceFake;
  url: string;
  key: string;
  client: AssessmentServiceClient;
  /** Adds a learner to the fake's ILR (ST0071, continuing). */
  enrol(uln: string, familyName: string, extra?: Partial<FakeLearner>): void;
  /** Moves a submitted certificate on through the print process (the back office's part). */
  print(
    reference: string,
    status: 'SentToPrinter' | 'Printed' | 'Delivered' | 'NotDelivered' | 'Reprint',
    at?: string,
  ): Promise<void>;
  outage(seconds: number): Promise<void>;
  close(): Promise<void>;
}

/** The fake, with its clock (default: this machine's; a time-skipping test passes the test server's). */
export async function startFake(clock?: () => number | Promise<number>): Promise<RunningFake> {
  const seed = defaultFakeSeed();
  const fake = buildAssessmentServiceFake(seed, { ...(clock && { clock }) });
  await fake.app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(fake.app.server.address() as AddressInfo).port}/`;
  const key = 'fake-key-innovate';
  const hook = async (route: string, body: unknown) => {
    const res = await fetch(url + route, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${route}: ${res.status} ${await res.text()}`);
  };
  return {
    fake,
    url,
    key,
    client: new AssessmentServiceClient({ baseUrl: url, subscriptionKey: key, sleep: async () => undefined }),
    enrol(uln, familyName, extra = {}) {
      seed.learners.push({
        uln: Number(uln),
        givenNames: 'Given',
        familyName,
        larsCode: 131,
        providerUkprn: 10012345,
        completionStatus: 1,
        learningStartDate: '2025-09-01',
        ...extra,
      });
    },
    print: (reference, status, at) => hook('__fake/print-status', { certificateReference: reference, status, ...(at && { at }) }),
    outage: (seconds) => hook('__fake/outage', { seconds }),
    close: () => fake.app.close(),
  };
}
