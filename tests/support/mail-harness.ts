/**
 * The time-skipping harness with real delivery: the delivery, listing and assessment activities,
 * mail sent over SMTP to a catcher on loopback, the sent record in a temporary folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  createAssessmentActivities,
  createDeliveryActivities,
  createListingActivities,
  smtpTransport,
  type EpaActivities,
} from '../../activities';
import { SentStore } from '../../src/store/sent-record';
import { startHarness, type Harness } from './lifecycle';
import { startSmtp, type TestSmtp } from './smtp';

export const MAIL_FROM = { name: 'Innovate EPA Team', email: 'epa@innovate.example' };

export interface MailHarness {
  h: Harness;
  smtp: TestSmtp;
  /** The temporary folder (the sent record is in `sent/`); removed by `teardown`. */
  dir: string;
  teardown(): Promise<void>;
}

/** The real delivery, listing and assessment activities: mail over SMTP to `smtpUrl`, the sent record and the copies of what was sent (the message pages) kept in `sent`, as the worker keeps them. */
export function mailActivities(smtpUrl: string, sent: SentStore): EpaActivities {
  return {
    ...createDeliveryActivities({ transport: smtpTransport(smtpUrl), from: MAIL_FROM, sent, copies: sent }),
    ...createListingActivities(),
    ...createAssessmentActivities({}),
  };
}

export async function startMailHarness(name: string): Promise<MailHarness> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `epa-${name}-`));
  const smtp = await startSmtp();
  const h = await startHarness(mailActivities(smtp.url, new SentStore(path.join(dir, 'sent'))));
  return {
    h,
    smtp,
    dir,
    async teardown() {
      await h.teardown();
      await smtp.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
