/**
 * Route tests: sending a failed message again (src/web/routes/resend.ts, src/app/resend.ts), on
 * in-memory fakes. A failed message's page offers "Send again" to an admin; the check-your-answers
 * page says what goes to whom, at the recipient's address now (and that it was corrected since it
 * failed); confirming records MessageSentAgain once under the form's key. Refused in words: a
 * delivered message (with why: no bounce reports), an unknown one, one of another EPA, a finished
 * or withdrawn EPA, a changed form.
 */
import { addDays } from '../../src/calendar';
import { workflowIdFor } from '../../src/epa/ids';
import type { SentCopy } from '../../activities/sent-record';
import type { EpaStatus } from '../../workflows/definitions';
import { EpaRejectedError } from '../../src/app/epa-client';
import { epaStart } from '../support/people';
import { ADMIN, hiddenFields, OPS, pagesApp, session, TODAY, type PagesApp } from '../support/web-app';

let p: PagesApp;
let admin: Awaited<ReturnType<typeof session>>;
let ops: Awaited<ReturnType<typeof session>>;

// The employer's address was corrected after the reminder to the old one was refused.
const ida = epaStart({
  apprentice: { name: 'Ida Okonkwo-Berg', email: 'ida@apprentice.example' },
  employer: { name: 'Rowan Teller', email: 'rowan.teller@employer.example', organisation: 'Teller Joinery' },
  gatewaySubmittedOn: addDays(TODAY, -10),
});
const other = epaStart({
  apprentice: { name: 'Cass Fenwick', email: 'cass@apprentice.example' },
  gatewaySubmittedOn: addDays(TODAY, -10),
});
const gone = epaStart({
  apprentice: { name: 'Bo Lindgren', email: 'bo@apprentice.example' },
  gatewaySubmittedOn: addDays(TODAY, -10),
});
const KEY = 'deadlineNear:gatewayReviewDue:2027-03-19';
const failedCopy: SentCopy = {
  epaId: workflowIdFor(ida.uln),
  key: KEY,
  role: 'employer',
  kind: 'deadlineNear',
  to: { name: 'Rowan Teller', email: 'rowan@old-employer.example' },
  subject: 'The gateway review is due on Friday 19 March 2027',
  text: 'The gateway review is due.',
  keptAt: `${TODAY}T09:00:00.000Z`,
};
const entry = (over: Partial<EpaStatus['log'][number]>): EpaStatus['log'][number] => ({
  key: KEY,
  kind: 'deadlineNear',
  role: 'employer',
  to: ['rowan@old-employer.example'],
  at: `${TODAY}T09:00:00.000Z`,
  status: 'failed',
  error: 'rejected by the mail server: 550 5.1.1 No such user here',
  ...over,
});
const page = (uln: string, key = KEY, role = 'employer') =>
  `/epas/${uln}/message/again?${new URLSearchParams({ key, role }).toString()}`;
const messagePage = (uln: string, key = KEY, role = 'employer') =>
  `/epas/${uln}/message?${new URLSearchParams({ key, role }).toString()}`;

beforeAll(async () => {
  p = await pagesApp();
  p.epa.add(ida);
  p.epa.add(other);
  p.epa.add(gone, [{ type: 'Withdrawn', on: addDays(TODAY, -1), reason: 'Left the employer' }]);
  p.epa.logs.set(ida.uln, [
    entry({ role: 'apprentice', to: ['ida@apprentice.example'], status: 'sent', error: undefined }),
    entry({}),
  ]);
  p.epa.logs.set(other.uln, [entry({ key: 'deadlineNear:other', to: ['x@employer.example'] })]);
  p.epa.logs.set(gone.uln, [entry({ to: ['x@employer.example'] })]);
  await p.copies.keep(failedCopy);
  admin = await session(p.app, ADMIN);
  ops = await session(p.app, OPS);
});
afterAll(async () => {
  await p.app.close();
});
beforeEach(() => {
  p.epa.calls.length = 0;
});

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

test("a failed message's page offers an admin Send again; a delivered one says why not (no bounce reports)", async () => {
  const res = await admin.get(messagePage(ida.uln));
  expect(res.statusCode).toBe(200);
  expect(res.body).toMatch(
    /<a href="\/epas\/\d+\/message\/again\?key=deadlineNear%3AgatewayReviewDue%3A2027-03-19&amp;role=employer"[^>]*id="send-again"/,
  );
  const delivered = await admin.get(messagePage(ida.uln, KEY, 'apprentice'));
  expect(delivered.body).not.toContain('id="send-again"');
  expect(text(delivered.body)).toContain('A delivered message is not sent again. epa-flow does not receive bounce reports');
  // Staff who cannot record are not offered it.
  expect((await ops.get(messagePage(ida.uln))).body).not.toContain('Send again');
  expect((await ops.get(page(ida.uln))).statusCode).toBe(403);
});

test('the check-your-answers page says what goes to whom, at the address now, and that it was corrected since it failed', async () => {
  const res = await admin.get(page(ida.uln));
  expect(res.statusCode).toBe(200);
  const words = text(res.body);
  expect(words).toContain('Check your answers: send the message again');
  expect(words).toContain('The gateway review is due on Friday 19 March 2027');
  expect(words).toContain('The employer: Rowan Teller, rowan.teller@employer.example');
  expect(words).toContain(
    'Monday 15 March 2027 at 9:00am, at rowan@old-employer.example: rejected by the mail server: 550 5.1.1 No such user here',
  );
  expect(words).toContain(
    'The address has been corrected since it failed: it goes to rowan.teller@employer.example now, not rowan@old-employer.example.',
  );
  expect(words).toContain(
    '“The gateway review is due on Friday 19 March 2027” to the employer at rowan.teller@employer.example, straight away',
  );
  // Asked of the workflow (its preview) as the Update would judge it; nothing recorded yet.
  expect(p.epa.callsOf('preview')).toEqual([
    { method: 'preview', uln: ida.uln, type: 'MessageSentAgain', payload: { on: TODAY, message: KEY, role: 'employer' } },
  ]);
  expect(p.epa.callsOf('recordEvent')).toHaveLength(0);
  // No address in any link of the page.
  expect([...res.body.matchAll(/href="([^"]*)"/g)].map((m) => m[1]).join(' ')).not.toContain('@');
  expect(words).not.toMatch(/deadlineNear|gatewayReviewDue|T09:00/);
});

test('confirming records the event once, by the signed-in admin, under the form key, with the reason; then the EPA page says so', async () => {
  const form = await admin.get(page(ida.uln));
  const fields: Record<string, string> = { ...hiddenFields(form.body), reason: 'Address corrected by phone' };
  const post = () =>
    p.app.inject({
      method: 'POST',
      url: `/epas/${ida.uln}/message/again`,
      headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(fields).toString(),
    });
  const res = await post();
  expect(res.statusCode).toBe(302);
  expect(res.headers.location).toBe(`/epas/${ida.uln}`);
  const recorded = p.epa.callsOf('recordEvent');
  expect(recorded).toEqual([
    {
      method: 'recordEvent',
      uln: ida.uln,
      type: 'MessageSentAgain',
      payload: { on: TODAY, message: KEY, role: 'employer', by: ADMIN.name, reason: 'Address corrected by phone' },
      idempotencyKey: fields.formKey,
    },
  ]);
  const epaPage = await admin.get(`/epas/${ida.uln}`);
  expect(text(epaPage.body)).toContain('Message sent again: “The gateway review is due on Friday 19 March 2027” to the employer');
});

test('a double click sends once: the same form key kept by the EPA is answered as done, and recorded no second time', async () => {
  p.epa.keepsRecorded = true;
  try {
    const form = await admin.get(page(ida.uln));
    const fields = hiddenFields(form.body);
    const post = () =>
      p.app.inject({
        method: 'POST',
        url: `/epas/${ida.uln}/message/again`,
        headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams(fields).toString(),
      });
    expect((await post()).statusCode).toBe(302);
    expect((await post()).statusCode).toBe(302);
    expect(p.epa.callsOf('recordEvent')).toHaveLength(1);
    const status = await p.epa.status(ida.uln);
    expect(status.timeline.filter((t) => t.type === 'MessageSentAgain')).toEqual([
      expect.objectContaining({ eventId: fields.formKey, by: ADMIN.name, message: { key: KEY, role: 'employer' } }),
    ]);
    const timeline = text((await admin.get(`/epas/${ida.uln}`)).body);
    expect(timeline).toContain('Message sent again');
    expect(timeline).toContain('“The gateway review is due on Friday 19 March 2027” to the employer');
  } finally {
    p.epa.keepsRecorded = false;
  }
});

test.each([
  ['a delivered message', () => page(ida.uln, KEY, 'apprentice'), 409, 'A delivered message is not sent again'],
  ['an unknown message', () => page(ida.uln, 'nothing:here'), 404, 'This EPA has no such message'],
  ['a message of another EPA', () => page(ida.uln, 'deadlineNear:other'), 404, 'This EPA has no such message'],
  ['no message named', () => `/epas/${ida.uln}/message/again`, 404, 'This EPA has no such message'],
  [
    'a withdrawn EPA',
    () => page(gone.uln),
    409,
    'The apprentice has been withdrawn from this EPA, so nothing more is sent from it',
  ],
])('%s is refused in words, never a 500, and nothing is recorded', async (_what, url, code, words) => {
  const res = await admin.get(url());
  expect(res.statusCode).toBe(code);
  expect(text(res.body)).toContain(words);
  expect(p.epa.callsOf('recordEvent')).toHaveLength(0);
});

test('a posted form naming a message that cannot be sent again is refused as the page is, nothing recorded', async () => {
  const form = await admin.get(page(ida.uln));
  const res = await p.app.inject({
    method: 'POST',
    url: `/epas/${ida.uln}/message/again`,
    headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ ...hiddenFields(form.body), role: 'apprentice' }).toString(),
  });
  expect(res.statusCode).toBe(409);
  expect(text(res.body)).toContain('A delivered message is not sent again');
  expect(p.epa.callsOf('recordEvent')).toHaveLength(0);
});

test('a changed form key or a reason too short is put back to the page in words, with a new key; nothing recorded', async () => {
  const form = await admin.get(page(ida.uln));
  const send = (fields: Record<string, string>) =>
    p.app.inject({
      method: 'POST',
      url: `/epas/${ida.uln}/message/again`,
      headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ ...hiddenFields(form.body), ...fields }).toString(),
    });
  const tampered = await send({ formKey: 'not-a-key' });
  expect(tampered.statusCode).toBe(400);
  expect(text(tampered.body)).toContain('The form was changed or has expired: check the answers and send it again');
  expect(hiddenFields(tampered.body).formKey).toMatch(/^[0-9a-f-]{36}$/);
  const short = await send({ reason: 'no' });
  expect(short.statusCode).toBe(400);
  expect(text(short.body)).toContain('Give a reason of at least 3 characters, or leave it empty');
  expect(short.body).toContain('href="#reason"');
  expect(hiddenFields(short.body).formKey).toBe(hiddenFields(form.body).formKey);
  expect(p.epa.callsOf('recordEvent')).toHaveLength(0);
});

test('a refusal from the workflow when it is recorded (answered meanwhile) is shown in words', async () => {
  const form = await admin.get(page(ida.uln));
  p.epa.refuseNext = new EpaRejectedError(
    'This message is being sent again now: its outcome will show in the EPA’s messages',
    'rejected_transition',
  );
  const res = await p.app.inject({
    method: 'POST',
    url: `/epas/${ida.uln}/message/again`,
    headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(hiddenFields(form.body)).toString(),
  });
  expect(res.statusCode).toBe(409);
  expect(text(res.body)).toContain('The message could not be sent again: This message is being sent again now');
});
