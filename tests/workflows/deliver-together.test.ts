/**
 * One activity per notification (patch 'delivery-one-task', issue 27 bursts): the booking's invite
 * (apprentice, employer, assessor; 001 §5's observation, Innovate's invite rule) goes to all three
 * in one `deliverMessages` task; a recipient it hands back (`again`) and every recipient of a
 * `deliverMessages` that failed go on to their own `deliverMessage`, which retries. Each recipient
 * gets one log entry. Time-skipping server, a real worker with recording activities.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { DeliveryRequest, EpaActivities, MessagesResult } from '../../activities/types';
import { eventually, useHarness, type Harness } from '../support/lifecycle';
import { recordingActivities } from '../support/recording-activities';
import { startWalk } from '../support/walk';

/** How the batch answers, per test: as sent, handing the employer back, or failing outright. */
let mode: 'sent' | 'employer again' | 'fails' = 'sent';
const calls = { together: [] as string[], single: [] as string[] };

function activities(): EpaActivities {
  const recording = recordingActivities().activities;
  return {
    ...recording,
    async deliverMessage(request) {
      calls.single.push(`${request.notification.kind}/${request.recipient.role}`);
      return await recording.deliverMessage(request);
    },
    async deliverMessages(request: DeliveryRequest): Promise<MessagesResult> {
      calls.together.push(request.notification.kind);
      if (mode === 'fails') throw ApplicationFailure.nonRetryable('the worker stopped mid-send', 'test');
      const out = await recording.deliverMessages({
        ...request,
        recipients: request.recipients.filter((r) => mode === 'sent' || r.role !== 'employer'),
      });
      return {
        results: request.recipients.map(
          (r) => out.results.find((o) => o.role === r.role) ?? { role: r.role, status: 'again', error: 'SMTP unavailable: 451' },
        ),
      };
    },
  };
}

let h: Harness;
useHarness((harness) => (h = harness), activities);

const assessor = { name: 'Priya Lockhart', email: 'priya@assessors.example' };

async function bookedInvite(gatewaySubmittedOn: string, assessmentOn: string) {
  calls.together = [];
  calls.single = [];
  const w = await startWalk(h, { gatewaySubmittedOn });
  await w.passGateway(gatewaySubmittedOn);
  const before = { together: calls.together.length, single: calls.single.length };
  await w.at(gatewaySubmittedOn, 'AssessmentBooked', {
    component: 'observation',
    at: `${assessmentOn}T10:00`,
    assessor,
  });
  const invites = () => h.epa.status(w.uln).then((s) => s.log.filter((l) => l.kind === 'invite'));
  const log = await eventually(async () => {
    const got = await invites();
    expect(got.map((l) => l.role).sort()).toEqual(['apprentice', 'assessor', 'employer']);
    return got;
  });
  const invitesOnly = (kinds: string[]) => kinds.filter((k) => k.startsWith('invite'));
  return {
    log,
    together: invitesOnly(calls.together.slice(before.together)).length,
    single: calls.single.slice(before.single).filter((k) => k.startsWith('invite/')),
  };
}

test('the invite to three people goes in one activity, with one log entry each', async () => {
  mode = 'sent';
  const { log, together, single } = await bookedInvite('2027-03-01', '2027-03-24');
  expect(together).toBe(1);
  expect(single).toEqual([]);
  expect(log.every((l) => l.status === 'sent' && l.messageId?.endsWith('@test>'))).toBe(true);
});

test('a recipient handed back (the mail server deferred it) goes on to its own delivery; the others are not sent again', async () => {
  mode = 'employer again';
  const { log, together, single } = await bookedInvite('2027-04-05', '2027-04-28');
  expect(together).toBe(1);
  expect(single).toEqual(['invite/employer']);
  expect(log.map((l) => l.status)).toEqual(['sent', 'sent', 'sent']);
});

test('the activity failing outright: every recipient goes on to its own delivery', async () => {
  mode = 'fails';
  const { log, together, single } = await bookedInvite('2027-05-03', '2027-05-26');
  expect(together).toBe(1);
  expect(single.sort()).toEqual(['invite/apprentice', 'invite/assessor', 'invite/employer']);
  expect(log.map((l) => l.status)).toEqual(['sent', 'sent', 'sent']);
});
