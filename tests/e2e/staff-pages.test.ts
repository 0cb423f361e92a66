/**
 * The staff pages over HTTP, against a real dev server with real EPAs: staff accounts signing in
 * to sessions, CSRF tokens on every form, security headers, the apprentice finder and one
 * apprentice's EPA, and the API refusing the pages' cookie.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApi } from '../../src/api/server';
import { cookieFrom, csrfIn, signIn as signInWith } from '../support/pages';
import { IMPORT_COLUMNS } from '../../src/app/import';
import { addUser, disableUser } from '../../src/app/users';
import { addDays, londonDateOf } from '../../src/calendar';
import { dateInWords } from '../../src/epa/display-names';
import { FileUserStore } from '../../src/store/user-store';
import { eventually } from '../support/lifecycle';
import { startDevStack, type DevStack } from '../support/dev-stack';
import { certificateAddress, epaStart } from '../support/people';

let stack: DevStack;
let api: FastifyInstance;
let users: FileUserStore;
const ADMIN_PASSWORD = 'correct horse battery staple';
const today = londonDateOf(Date.now());
const bram = epaStart({
  gatewaySubmittedOn: addDays(today, -25),
  apprentice: { name: 'Bram Okafor', email: 'bram@apprentice.example' },
  employer: { organisation: 'Harbour Mutual', name: 'Lena Fairweather', email: 'lena@harbour.example' },
});
const cleo = epaStart({
  standard: 'ST0072',
  epao: 'nqual',
  gatewaySubmittedOn: addDays(today, -2),
  apprentice: { name: 'Cleo Marchetti', email: 'cleo@apprentice.example' },
});

beforeAll(async () => {
  stack = await startDevStack({ taskQueue: 'epa-staff-pages' });
  users = new FileUserStore(path.join(mkdtempSync(path.join(os.tmpdir(), 'epa-users-')), 'users.json'));
  await addUser(users, { username: 'amira', name: 'Amira Sollen', role: 'admin', password: ADMIN_PASSWORD });
  api = buildApi({
    epa: stack.epa,
    adminTokens: ['admin-token-for-the-pages-test'],
    opsTokens: [],
    defaultEpaoAdmin: { name: 'EPA Admin', email: 'epa-admin@epao.example' },
    temporalUiUrl: 'http://127.0.0.1:8233',
    namespace: 'default',
    users,
    sessionSecret: 'a-session-secret-for-the-pages-test-0123456789',
    serviceName: 'Example EPAO',
  });
  await stack.epa.start(bram);
  await stack.epa.start(cleo);
  await eventually(async () => expect((await stack.epa.list()).length).toBe(2));
});
afterAll(async () => {
  await api?.close();
  await stack?.teardown();
});

/** Opens the sign-in page (its CSRF cookie and token), then signs in. */
const signIn = (username: string, password: string, returnTo = '/epas') => signInWith(api, username, password, returnTo);

test('the sign-in page: a CSRF cookie (HttpOnly, SameSite=Lax) and no session, a CSRF token, a strict CSP, no framing', async () => {
  const anonymous = await api.inject({ method: 'GET', url: '/epas?stage=InAssessment' });
  expect(anonymous.statusCode).toBe(302);
  expect(anonymous.headers.location).toBe('/login?returnTo=%2Fepas%3Fstage%3DInAssessment');
  const page = await api.inject({ method: 'GET', url: '/login' });
  expect(page.statusCode).toBe(200);
  expect(page.body).toContain('<title>Sign in – Example EPAO</title>');
  expect(page.body).not.toContain('GOV.UK');
  expect(csrfIn(page.body)).toMatch(/\S{20,}/);
  // No session for a visitor: the form's CSRF secret is a signed cookie of its own (HttpOnly, SameSite=Lax).
  expect(page.headers['set-cookie']).toEqual(expect.stringMatching(/^epa_csrf=[^;]+;.*HttpOnly; SameSite=Lax/));
  expect(page.headers['set-cookie']).not.toContain('Secure');
  const csp = String(page.headers['content-security-policy']);
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/);
  const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
  expect(page.body).toContain(`<script nonce="${nonce}">`); // GOV.UK Frontend's one inline script
  expect(page.headers['x-frame-options']).toBe('SAMEORIGIN');
  expect(page.headers['x-content-type-options']).toBe('nosniff');
});

test('sign in: wrong passwords and forms without their CSRF token are refused; the right one gives a new session', async () => {
  const wrong = await signIn('amira', 'not the password at all');
  expect(wrong.res.statusCode).toBe(401);
  expect(wrong.res.body).toContain('Enter a correct username and password');
  expect(wrong.res.body).toContain('govuk-error-summary');

  const page = await api.inject({ method: 'GET', url: '/login' });
  const noToken = await api.inject({
    method: 'POST',
    url: '/login',
    headers: { cookie: cookieFrom(page), 'content-type': 'application/x-www-form-urlencoded' },
    payload: `username=amira&password=${encodeURIComponent(ADMIN_PASSWORD)}`,
  });
  expect(noToken.statusCode).toBe(403);
  expect(noToken.body).toContain('The form has expired');
  expect(noToken.headers['set-cookie'] ?? '').not.toContain('epa_session=s');

  const ok = await signIn('amira', ADMIN_PASSWORD, '/epas?stage=GatewayReview');
  expect(ok.res.statusCode).toBe(302);
  expect(ok.res.headers.location).toBe('/epas?stage=GatewayReview');
  expect(ok.cookie).not.toBe(ok.before); // a new session id on sign-in
  // Another site's address is never where sign-in sends you.
  const away = await signIn('amira', ADMIN_PASSWORD, '//evil.example/');
  expect(away.res.headers.location).toBe('/epas');
});

test('the apprentice finder: every EPA, search by name or ULN, filters, and an unknown filter value said plainly', async () => {
  const { cookie } = await signIn('amira', ADMIN_PASSWORD);
  const all = await api.inject({ method: 'GET', url: '/epas', headers: { cookie } });
  expect(all.statusCode).toBe(200);
  expect(all.body).toContain('Showing 1 to 2 of 2 EPAs');
  expect(all.body).toContain(`href="/epas/${bram.uln}">Bram Okafor</a>`);
  expect(all.body).toContain('Sign out Amira Sollen');
  const byName = await api.inject({ method: 'GET', url: '/epas?q=marche', headers: { cookie } });
  expect(byName.body).toContain('Showing 1 to 1 of 1 EPA');
  expect(byName.body).toContain(`data-uln="${cleo.uln}"`);
  const byUln = await api.inject({ method: 'GET', url: `/epas?q=${bram.uln}`, headers: { cookie } });
  expect(byUln.body).toContain(`data-uln="${bram.uln}"`);
  expect(byUln.body).not.toContain(`data-uln="${cleo.uln}"`);
  const byStandard = await api.inject({ method: 'GET', url: '/epas?standard=ST0072', headers: { cookie } });
  expect(byStandard.body).toContain(`data-uln="${cleo.uln}"`);
  expect(byStandard.body).not.toContain(`data-uln="${bram.uln}"`);
  const overdue = await eventually(async () => {
    const r = await api.inject({ method: 'GET', url: '/epas?overdue=yes', headers: { cookie } });
    expect(r.body).toContain(`data-uln="${bram.uln}"`);
    return r;
  });
  expect(overdue.body).not.toContain(`data-uln="${cleo.uln}"`);
  const byProvider = await api.inject({ method: 'GET', url: '/epas?provider=northgate', headers: { cookie } });
  expect(byProvider.body).toContain('Showing 1 to 2 of 2 EPAs'); // both train with Northgate Training
  const noProvider = await api.inject({ method: 'GET', url: '/epas?provider=elsewhere', headers: { cookie } });
  expect(noProvider.body).toContain('No EPAs match');
  // "Next deadline within N days": an EPA whose next deadline is D days away is in at D, not at D - 1.
  // (A fresh ST0071 EPA: its gateway review, 002, is due two weeks after its submission.)
  const dev = epaStart({
    gatewaySubmittedOn: addDays(today, -1),
    apprentice: { name: 'Dev Achebe', email: 'dev@apprentice.example' },
  });
  await stack.epa.start(dev);
  const { uln, nextDeadline } = await eventually(async () => {
    const row = (await stack.epa.list()).find((r) => r.uln === dev.uln);
    expect(row?.nextDeadline).toBeTruthy();
    return row!;
  });
  const days = Math.round((Date.parse(nextDeadline!.due) - Date.parse(today)) / 86_400_000);
  expect(days).toBe(13);
  const within = await api.inject({ method: 'GET', url: `/epas?due=${days}`, headers: { cookie } });
  expect(within.body).toContain(`data-uln="${uln}"`);
  const sooner = await api.inject({ method: 'GET', url: `/epas?due=${days - 1}`, headers: { cookie } });
  expect(sooner.body).not.toContain(`data-uln="${uln}"`);
  const unknown = await api.inject({ method: 'GET', url: '/epas?stage=Sleeping', headers: { cookie } });
  expect(unknown.statusCode).toBe(400);
  expect(unknown.body).toContain('unknown stage &quot;Sleeping&quot;');
});

test("one apprentice's EPA: people, the pinned rules, each deadline with who acts and its rule in words, the timeline", async () => {
  const { cookie } = await signIn('amira', ADMIN_PASSWORD);
  const page = await api.inject({ method: 'GET', url: `/epas/${bram.uln}`, headers: { cookie } });
  expect(page.statusCode).toBe(200);
  expect(page.body).toContain('<h1 class="govuk-heading-l">Bram Okafor</h1>');
  expect(page.body).toContain('Harbour Mutual: Lena Fairweather, lena@harbour.example');
  expect(page.body).toContain('ST0071 version 1.1 (rules sha256:42741f5fef7d)');
  // How the overall grade is reached, from the plan this EPA is pinned to (001 §8).
  expect(page.body).toContain(
    'Any Fail is a Fail; Distinction only with a Distinction in every component; otherwise Pass; a resat or retaken component is graded at most Pass, unless the EPAO finds exceptional circumstances for the original fail (001 §8).',
  );
  const review = /<tr class="govuk-table__row" data-deadline="gatewayReviewDue">([\s\S]*?)<\/tr>/.exec(page.body)![1]!;
  expect(review).toContain('Missed');
  expect(review).toContain('EPAO');
  expect(review).toContain('Innovate Awarding&#39;s ST0071 EPA specification, Gateway (seed 002 Gateway)');
  expect(page.body).toContain('Gateway submitted'); // the timeline, in words
  expect(page.body).toContain('What happens next');
  const nobody = epaStart().uln; // a valid ULN with no EPA
  const missing = await api.inject({ method: 'GET', url: `/epas/${nobody}`, headers: { cookie } });
  expect([missing.statusCode, missing.body.includes(`no EPA for ULN ${nobody}`)]).toEqual([404, true]);
  const malformed = await api.inject({ method: 'GET', url: '/epas/12345', headers: { cookie } });
  expect(malformed.statusCode).toBe(400);
});

test('a sign-in or sign-out form posted from another site (which cannot read the CSRF token) is refused, and opens no session', async () => {
  const foreign = await api.inject({
    method: 'POST',
    url: '/login',
    headers: { origin: 'http://127.0.0.1:9999', 'content-type': 'application/x-www-form-urlencoded' },
    payload: `username=amira&password=${encodeURIComponent(ADMIN_PASSWORD)}`,
  });
  expect(foreign.statusCode).toBe(403);
  expect(foreign.headers['set-cookie']).toBeUndefined();
  const { cookie } = await signIn('amira', ADMIN_PASSWORD);
  const out = await api.inject({
    method: 'POST',
    url: '/logout',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: '',
  });
  expect(out.statusCode).toBe(403);
  expect((await api.inject({ method: 'GET', url: '/epas', headers: { cookie } })).statusCode).toBe(200); // still signed in
});

test('the API never takes the pages’ session cookie; signing out ends the session; a disabled account cannot sign in', async () => {
  const { cookie } = await signIn('amira', ADMIN_PASSWORD);
  expect((await api.inject({ method: 'GET', url: '/api/epas', headers: { cookie } })).statusCode).toBe(401);
  const page = await api.inject({ method: 'GET', url: '/epas', headers: { cookie } });
  const out = await api.inject({
    method: 'POST',
    url: '/logout',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: `_csrf=${encodeURIComponent(csrfIn(page.body))}`,
  });
  expect([out.statusCode, out.headers.location]).toEqual([302, '/login']);
  expect((await api.inject({ method: 'GET', url: '/epas', headers: { cookie } })).statusCode).toBe(302);

  await addUser(users, { username: 'temp', name: 'Temp Worker', role: 'ops', password: 'temporary password 1' });
  expect((await signIn('temp', 'temporary password 1')).res.statusCode).toBe(302);
  await disableUser(users, 'temp');
  expect((await signIn('temp', 'temporary password 1')).res.statusCode).toBe(401);
});

test('sign-in is limited per address and username: after ten failures in five minutes the next try is refused', async () => {
  const codes: number[] = [];
  for (let i = 0; i < 11; i++) codes.push((await signIn('mallory', `guess number ${i}`)).res.statusCode);
  expect(codes).toEqual([...Array(10).fill(401), 429]);
  expect((await signIn('amira', ADMIN_PASSWORD)).res.statusCode).toBe(302); // another account is not locked out
});

describe('recording events with forms', () => {
  /** A signed-in page's form: its CSRF token and idempotency key, posted with `fields`. */
  async function postForm(cookie: string, uln: string, type: string, fields: Record<string, string>, formKey?: string) {
    const form = await api.inject({ method: 'GET', url: `/epas/${uln}/events/new?type=${type}`, headers: { cookie } });
    expect(form.statusCode).toBe(200);
    const key = formKey ?? /name="formKey" value="([^"]+)"/.exec(form.body)![1]!;
    const res = await api.inject({
      method: 'POST',
      url: `/epas/${uln}/events`,
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrfIn(form.body), type, formKey: key, ...fields }).toString(),
    });
    return { form, res, key };
  }
  const dateFields = (name: string, date: string) => {
    const [y, m, d] = date.split('-');
    return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y! };
  };

  test('ops users read but cannot record: the form and the post are refused', async () => {
    await addUser(users, { username: 'olu', name: 'Olu Brandt', role: 'ops', password: 'an ops password here' });
    const { cookie } = await signIn('olu', 'an ops password here');
    const page = await api.inject({ method: 'GET', url: `/epas/${cleo.uln}`, headers: { cookie } });
    expect(page.body).not.toContain('Record an event');
    const form = await api.inject({ method: 'GET', url: `/epas/${cleo.uln}/events/new?type=GatewayPassed`, headers: { cookie } });
    expect([form.statusCode, form.body.includes('may read EPAs but not record events')]).toEqual([403, true]);
    const post = await api.inject({
      method: 'POST',
      url: `/epas/${cleo.uln}/events`,
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        _csrf: csrfIn(page.body),
        type: 'Withdrawn',
        ...dateFields('on', today),
        reason: 'not mine',
      }).toString(),
    });
    expect(post.statusCode).toBe(403);
    expect((await stack.epa.status(cleo.uln)).stage).not.toBe('Withdrawn');
  });

  test('a form records the event as the signed-in admin; posted twice, it is recorded once', async () => {
    const { cookie } = await signIn('amira', ADMIN_PASSWORD);
    const page = await api.inject({ method: 'GET', url: `/epas/${cleo.uln}`, headers: { cookie } });
    expect(page.body).toContain(`href="/epas/${cleo.uln}/events/new?type=GatewayEvidenceRecorded"`);
    const first = await postForm(cookie, cleo.uln, 'GatewayEvidenceRecorded', {
      ...dateFields('on', today),
      english: 'Level 1',
      maths: 'Level 2',
      employerSignOff: 'yes',
    });
    expect([first.res.statusCode, first.res.headers.location]).toEqual([302, `/epas/${cleo.uln}`]);
    const after = await api.inject({ method: 'GET', url: `/epas/${cleo.uln}`, headers: { cookie } });
    expect(after.body).toContain('Record gateway evidence: recorded');
    const again = await postForm(
      cookie,
      cleo.uln,
      'GatewayEvidenceRecorded',
      {
        ...dateFields('on', today),
        english: 'Level 1',
        maths: 'Level 2',
        employerSignOff: 'yes',
      },
      first.key,
    );
    expect(again.res.statusCode).toBe(302);
    const status = await stack.epa.status(cleo.uln);
    expect(status.timeline.filter((t) => t.type === 'GatewayEvidenceRecorded')).toEqual([
      expect.objectContaining({ by: 'Amira Sollen', on: today }),
    ]);
    expect(status.gatewayEvidence.find((e) => e.item === 'englishMaths')).toMatchObject({ met: true });
  });

  test('the certificate details form: a postcode the assessment service would refuse is refused at its field; a good one is shown on the page', async () => {
    const { cookie } = await signIn('amira', ADMIN_PASSWORD);
    const address = {
      ...dateFields('on', today),
      familyName: 'Okafor',
      'postal-contactName': 'Lena Fairweather',
      'postal-organisation': 'Harbour Mutual',
      'postal-addressLine1': '1 Quay Street',
      'postal-city': 'Bristol',
    };
    const bad = await postForm(cookie, bram.uln, 'CertificateDetailsRecorded', { ...address, 'postal-postCode': 'NOT A CODE' });
    expect(bad.res.statusCode).toBe(400);
    expect(bad.res.body).toContain('href="#postal-postCode"');
    expect(bad.res.body).toContain('a UK postcode such as BS1 4DJ');
    const good = await postForm(cookie, bram.uln, 'CertificateDetailsRecorded', { ...address, 'postal-postCode': 'BS1 4DJ' });
    expect(good.res.statusCode).toBe(302);
    const page = await api.inject({ method: 'GET', url: `/epas/${bram.uln}`, headers: { cookie } });
    expect(page.body).toContain('Lena Fairweather, Harbour Mutual, Bristol BS1 4DJ');
    expect(page.body).toContain('staff (recorded by hand)'); // Innovate's shipped rules: staff claim
    expect((await stack.epa.status(bram.uln)).certificate.details).toEqual({
      familyName: 'Okafor',
      postalContact: certificateAddress,
    });
  });

  test('a broken rule shows its citation and offers "record anyway" with a reason; an impossible date is refused at its field', async () => {
    const { cookie } = await signIn('amira', ADMIN_PASSWORD);
    const badDate = await postForm(cookie, cleo.uln, 'GatewayPassed', { 'on-day': '31', 'on-month': '2', 'on-year': '2026' });
    expect(badDate.res.statusCode).toBe(400);
    expect(badDate.res.body).toContain('href="#on-day"');
    expect(badDate.res.body).toContain('must be a real calendar date');

    await postForm(cookie, cleo.uln, 'ShowcaseSubmitted', { ...dateFields('on', today), pieces: '12' });
    expect((await postForm(cookie, cleo.uln, 'GatewayPassed', dateFields('on', today))).res.statusCode).toBe(302);
    // 004 Gateway: the gateway form at least 10 working days before the first assessment.
    const soon = addDays(today, 3);
    const booking = { ...dateFields('on', today), component: 'showcase', ...dateFields('at', soon), 'at-time': '10:00' };
    const refused = await postForm(cookie, cleo.uln, 'AssessmentBooked', booking);
    expect(refused.res.statusCode).toBe(409);
    expect(refused.res.body).toContain('govuk-error-summary');
    expect(refused.res.body).toContain('gatewayFormNotice');
    expect(refused.res.body).toContain('004 Gateway');
    expect(refused.res.body).toContain('Record anyway');
    const anyway = await postForm(cookie, cleo.uln, 'AssessmentBooked', {
      ...booking,
      overrideReason: 'the employer asked for an early date',
    });
    expect(anyway.res.statusCode).toBe(302);
    const status = await stack.epa.status(cleo.uln);
    expect(status.overrides).toEqual([
      expect.objectContaining({ rule: 'gatewayFormNotice', reason: 'the employer asked for an early date' }),
    ]);
    expect(status.components.showcase!.attempts[0]!.booking!.at).toBe(`${soon}T10:00`);
  });
});

// The dev stack's deliveries are recorded, not sent (no copy is kept): the page says so in words.
// A real delivery's copy, opened as it was sent, is proved on the unit and route tests (tests/web/messages.test.ts).
test('a message in the log opens from its subject in the messages list', async () => {
  const { cookie } = await signIn('amira', ADMIN_PASSWORD);
  const invite = await eventually(async () => {
    const entry = (await stack.epa.status(cleo.uln)).log.find((l) => l.kind === 'invite' && l.role === 'apprentice');
    expect(entry?.status).toBe('sent');
    return entry!;
  });
  const page = await api.inject({ method: 'GET', url: `/epas/${cleo.uln}`, headers: { cookie } });
  const href = `/epas/${cleo.uln}/message?${new URLSearchParams({ key: invite.key, role: 'apprentice' }).toString()}`;
  expect(page.body).toContain(href.replace('&', '&amp;'));
  const message = await api.inject({ method: 'GET', url: href, headers: { cookie } });
  expect(message.statusCode).toBe(200);
  expect(message.body).toContain('The apprentice');
  expect(message.body).toContain('No copy of this message was kept');
  const unknown = await api.inject({
    method: 'GET',
    url: `/epas/${cleo.uln}/message?key=nothing&role=apprentice`,
    headers: { cookie },
  });
  expect(unknown.statusCode).toBe(404);
});

test("the board's next 14 days: assessments booked, and deadlines up to and including day 14", async () => {
  const { cookie } = await signIn('amira', ADMIN_PASSWORD);
  // 002 Gateway: a gateway submitted today is reviewed within two weeks: due on day 14.
  const gus = epaStart({ gatewaySubmittedOn: today, apprentice: { name: 'Gus Lindqvist', email: 'gus@apprentice.example' } });
  await stack.epa.start(gus);
  const board = await eventually(async () => {
    const page = await api.inject({ method: 'GET', url: '/dashboard', headers: { cookie } });
    expect(page.body).toContain(`data-uln="${gus.uln}"`);
    return page.body;
  });
  const upcoming = board.slice(board.indexOf('id="upcoming"'));
  const rows = [...upcoming.matchAll(/<tr class="govuk-table__row" data-uln="(\d+)">([\s\S]*?)<\/tr>/g)].map((m) => [
    m[1],
    m[2]!
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  ]);
  expect(rows).toContainEqual([
    gus.uln,
    `${dateInWords(addDays(today, 14))} Deadline: gateway review Gus Lindqvist ST0071 Brightside Lettings Ltd Gateway in review`,
  ]);
  // Cleo's showcase interview, booked above for three days from now (004).
  expect(rows).toContainEqual([
    cleo.uln,
    `${dateInWords(addDays(today, 3))} at 10:00am Assessment: apprentice showcase Cleo Marchetti ST0072 Brightside Lettings Ltd In assessment`,
  ]);
});

describe('starting EPAs from the pages', () => {
  const startFields = (p: ReturnType<typeof epaStart>): Record<string, string> => {
    const [y, m, d] = p.gatewaySubmittedOn.split('-');
    return {
      uln: p.uln,
      apprenticeName: p.apprentice.name,
      apprenticeEmail: p.apprentice.email,
      employer: p.employer.organisation,
      employerContactName: p.employer.name,
      employerContactEmail: p.employer.email,
      provider: p.provider.organisation,
      providerContactName: p.provider.name,
      providerContactEmail: p.provider.email,
      standard: p.standard,
      epao: p.epao,
      'gatewaySubmittedOn-day': d!,
      'gatewaySubmittedOn-month': m!,
      'gatewaySubmittedOn-year': y!,
    };
  };
  async function postStart(cookie: string, fields: Record<string, string>) {
    const form = await api.inject({ method: 'GET', url: '/epas/new', headers: { cookie } });
    expect(form.statusCode).toBe(200);
    return await api.inject({
      method: 'POST',
      url: '/epas',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        _csrf: csrfIn(form.body),
        formKey: /name="formKey" value="([^"]+)"/.exec(form.body)![1]!,
        ...fields,
      }).toString(),
    });
  }

  test('start an EPA with a form: mistakes are shown at their fields; the EPA starts recorded as the admin', async () => {
    const { cookie } = await signIn('amira', ADMIN_PASSWORD);
    const dina = epaStart({
      gatewaySubmittedOn: addDays(today, -1),
      apprentice: { name: 'Dina Varga', email: 'dina@apprentice.example' },
    });
    const badUln = await postStart(cookie, { ...startFields(dina), uln: '12345' });
    expect(badUln.statusCode).toBe(400);
    expect(badUln.body).toContain('href="#uln"');
    const badEmail = await postStart(cookie, { ...startFields(dina), employerContactEmail: 'not an email' });
    expect(badEmail.statusCode).toBe(400);
    expect(badEmail.body).toContain('href="#employerContactEmail"');
    const future = await postStart(cookie, {
      ...startFields(dina),
      'gatewaySubmittedOn-year': String(Number(today.slice(0, 4)) + 1),
    });
    expect(future.body).toContain('href="#gatewaySubmittedOn-day"');
    const started = await postStart(cookie, startFields(dina));
    expect([started.statusCode, started.headers.location]).toEqual([302, `/epas/${dina.uln}`]);
    const status = await stack.epa.status(dina.uln);
    expect(status.timeline[0]).toMatchObject({ type: 'GatewaySubmitted', by: 'Amira Sollen' });
    expect(status.rules).toMatchObject({ standard: 'ST0071', version: '1.1' });
    const again = await postStart(cookie, startFields(dina));
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('href="#uln"');
  });

  test('import a CSV file: a dry run shows every row, then "start" starts the good ones', async () => {
    const { cookie } = await signIn('amira', ADMIN_PASSWORD);
    const page = await api.inject({ method: 'GET', url: '/imports', headers: { cookie } });
    const good = epaStart({
      gatewaySubmittedOn: addDays(today, -3),
      apprentice: { name: 'Ewan Pryce', email: 'ewan@apprentice.example' },
    });
    const row = (p: ReturnType<typeof epaStart>, uln = p.uln) =>
      [
        uln,
        p.apprentice.name,
        p.apprentice.email,
        p.employer.organisation,
        p.employer.name,
        p.employer.email,
        p.provider.organisation,
        p.provider.name,
        p.provider.email,
        p.standard,
        p.epao,
        p.gatewaySubmittedOn,
        '',
      ].join(',');
    const csv = [IMPORT_COLUMNS.join(','), row(good), row(good, '123')].join('\n') + '\n';
    const boundary = '----epa-test-boundary';
    const body =
      `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrfIn(page.body)}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="epas.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n` +
      `--${boundary}--\r\n`;
    const dry = await api.inject({
      method: 'POST',
      url: '/imports',
      headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: body,
    });
    expect(dry.statusCode).toBe(200);
    expect(dry.body).toContain('1 to start, 0 to skip (an EPA exists), 1 refused. Nothing has started yet.');
    expect(dry.body).toContain('data-line="3"');
    await expect(stack.epa.existing(good.uln)).resolves.toBeUndefined();
    const apply = await api.inject({
      method: 'POST',
      url: '/imports/apply',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(csrfIn(dry.body))}`,
    });
    expect(apply.statusCode).toBe(200);
    expect(apply.body).toContain('1 started, 0 skipped, 0 failed');
    await expect(stack.epa.existing(good.uln)).resolves.toBe('running');
    expect((await stack.epa.status(good.uln)).timeline[0]).toMatchObject({ by: 'Amira Sollen (import)' });
  });
});
