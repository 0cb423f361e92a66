/**
 * The time-skipping harness with real delivery: the delivery, listing and assessment activities,
 * mail sent over SMTP to a catcher on loopback, the sent record in a temporary folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAssessmentActivities, createDeliveryActivities, createListingActivities, smtpTransport } from '../../activities';
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

export async function startMailHarness(name: string): Promise<MailHarness> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `epa-${name}-`));
  const smtp = await startSmtp();
  const h = await startHarness({
    ...createDeliveryActivities({
      transport: smtpTransport(smtp.url),
      from: MAIL_FROM,
      sent: new SentStore(path.join(dir, 'sent')),
    }),
    ...createListingActivities(),
    ...createAssessmentActivities({}),
  });
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
