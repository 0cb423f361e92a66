/**
 * Route tests: the EPA page's messages list and each message's page (src/web/routes/epas.ts), on
 * in-memory fakes. The list is newest first, each entry when (in words), to whom (role in words and
 * the address), the subject as a link, and the outcome; the message page shows the kept copy as it
 * was sent (its text in the page, the invite's when and where), never the schedule rendered again.
 */
import { addDays } from '../../src/calendar';
import { workflowIdFor } from '../../src/epa/ids';
import type { SentCopy } from '../../activities/sent-record';
import { epaStart } from '../support/people';
import { OPS, pagesApp, session, TODAY, type PagesApp } from '../support/web-app';

let p: PagesApp;
let ops: Awaited<ReturnType<typeof session>>;
const fay = epaStart({
  apprentice: { name: 'Fay Lindqvist-Amadi', email: 'fay@apprentice.example' },
  gatewaySubmittedOn: addDays(TODAY, -10),
});
const epaId = workflowIdFor(fay.uln);

const invite: SentCopy = {
  epaId,
  key: 'invite:observation-1:0',
  role: 'apprentice',
  kind: 'invite',
  to: { name: 'Fay Lindqvist-Amadi', email: 'fay@apprentice.example' },
  subject: 'Your observation is booked for Tuesday 23 March 2027 at 10am',
  text: 'Dear Fay,\n\nYour observation is booked.\nBring <your> portfolio.',
  invite: { method: 'REQUEST', at: '2027-03-23T10:00', durationMinutes: 90, location: 'Unit 4, Harbour Road' },
  keptAt: `${TODAY}T09:00:00.000Z`,
};
const failed: SentCopy = {
  epaId,
  key: 'gatewayReviewReminder',
  role: 'employer',
  kind: 'deadlineReminder',
  to: { name: 'Hal Brightside', email: 'hal@employer.example' },
  subject: 'Gateway review due soon',
  text: 'The gateway review is due.',
  keptAt: `${TODAY}T10:00:00.000Z`,
};

beforeAll(async () => {
  p = await pagesApp();
  p.epa.add(fay);
  p.epa.logs.set(fay.uln, [
    {
      key: invite.key,
      kind: 'invite',
      role: 'apprentice',
      to: ['fay@apprentice.example'],
      at: `${TODAY}T09:00:00.000Z`,
      status: 'sent',
    },
    {
      key: failed.key,
      kind: 'deadlineReminder',
      role: 'employer',
      to: ['hal@employer.example'],
      at: `${TODAY}T10:00:00.000Z`,
      status: 'failed',
      error: 'rejected by the mail server: 550 no such mailbox',
    },
    {
      key: 'old:message',
      kind: 'deadlineNear',
      role: 'provider',
      to: ['pat@provider.example'],
      at: `${addDays(TODAY, -3)}T08:00:00.000Z`,
      status: 'sent',
    },
  ]);
  await p.copies.keep(invite);
  await p.copies.keep(failed);
  ops = await session(p.app, OPS);
});
afterAll(async () => {
  await p.app.close();
});

const section = (html: string) => /id="messages"[\s\S]*?<\/ul>/.exec(html)![0];

test('the EPA page lists every message newest first: subject as a link, when in words, to whom with the address, the outcome', async () => {
  const res = await ops.get(`/epas/${fay.uln}`);
  expect(res.statusCode).toBe(200);
  const list = section(res.body);
  const subjects = [...list.matchAll(/<a class="govuk-link" href="([^"]+)">([^<]+)<\/a>/g)].map((m) => [m[1], m[2]]);
  expect(subjects.map((s) => s[1])).toEqual([
    'Gateway review due soon',
    'Your observation is booked for Tuesday 23 March 2027 at 10am',
    'Deadline near', // sent before copies were kept: its kind in words
  ]);
  expect(subjects[1]![0]).toBe(`/epas/${fay.uln}/message?key=invite%3Aobservation-1%3A0&amp;role=apprentice`);
  expect(list).toContain('Monday 15 March 2027 at 10:00am · to the employer, hal@employer.example');
  expect(list).toContain('to the apprentice, fay@apprentice.example');
  expect(list).toMatch(/govuk-tag--red">\s*Failed\s*</);
  expect(list).toContain('rejected by the mail server: 550 no such mailbox');
  expect(list).toMatch(/govuk-tag--green">\s*Sent\s*</);
  // What a person reads (tags and addresses of links aside): no code key, no raw time.
  expect(list.replace(/<[^>]+>/g, ' ')).not.toMatch(/deadlineReminder|gatewayReviewReminder|T09:00|[a-z][A-Z]/);
});

test('a message opens as it was sent: its text in the page, to whom, and the invite in words', async () => {
  const res = await ops.get(`/epas/${fay.uln}/message?key=invite%3Aobservation-1%3A0&role=apprentice`);
  expect(res.statusCode).toBe(200);
  expect(res.body).toContain(
    '<h1 class="govuk-heading-l epa-wrap">Your observation is booked for Tuesday 23 March 2027 at 10am</h1>',
  );
  expect(res.body).toContain(
    '<div class="epa-message-text govuk-body" id="message-text">Dear Fay,\n\nYour observation is booked.\nBring &lt;your&gt; portfolio.</div>',
  );
  expect(res.body).toContain('The apprentice: Fay Lindqvist-Amadi, fay@apprentice.example');
  expect(res.body).toContain('A calendar invite, attached');
  expect(res.body).toContain('Tuesday 23 March 2027 at 10am');
  expect(res.body).toContain('1 hour 30 minutes');
  expect(res.body).toContain('Unit 4, Harbour Road');
  expect(res.body).not.toContain('no longer in the');
});

test('the copy is what the page shows, even after the schedule changed: nothing is rendered again', async () => {
  // The EPA's schedule knows nothing of this message; its copy is still shown.
  const res = await ops.get(`/epas/${fay.uln}/message?key=gatewayReviewReminder&role=employer`);
  expect(res.statusCode).toBe(200);
  expect(res.body).toContain('The gateway review is due.');
  expect(res.body).toContain('The message it tried to send');
  expect(res.body).toContain('Failed: rejected by the mail server: 550 no such mailbox');
});

test('a message sent before copies were kept says so in words', async () => {
  const res = await ops.get(`/epas/${fay.uln}/message?key=old%3Amessage&role=provider`);
  expect(res.statusCode).toBe(200);
  expect(res.body).toContain('No copy of this message was kept');
  expect(res.body).toContain('The provider, pat@provider.example');
});

test.each([
  ['an unknown message', 'key=nothing&role=apprentice'],
  ['a role the message did not go to', 'key=gatewayReviewReminder&role=apprentice'],
  ['no key at all', ''],
  ['a key sent twice', 'key=a&key=b&role=apprentice'],
])('%s is not found, in words, never a 500', async (_what, query) => {
  const res = await ops.get(`/epas/${fay.uln}/message?${query}`);
  expect(res.statusCode).toBe(404);
  expect(res.body).toContain('This EPA has no such message');
});
