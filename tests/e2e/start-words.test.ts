/**
 * Words that match the facts on `npm start`'s real servers (node dist/src/start.js: the dev
 * server, the mail catcher, the worker and the API), in real time (issue 28 part 4): an
 * assessor-only change through the API tells the apprentice their assessor changed and moves the
 * invite between the assessors; a corrected email moves the live invite from the old address to the
 * new one. Mail is read back from the catcher's .eml files with mailparser and ical.js. The invites
 * are 002 Assessment Booking's; the 2 weeks' notice 001 §5.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ICAL from 'ical.js';
import { simpleParser, type ParsedMail } from 'mailparser';
import { addDays, isWeekendDay, londonDateOf } from '../../src/calendar';
import { freePort } from '../../src/temporal/binaries';
import { eventually } from '../support/lifecycle';
import { epaStart } from '../support/people';
import { passGatewayWith } from '../support/walk';

let dir: string;
let env: NodeJS.ProcessEnv;
let child: ChildProcess;
let output = '';
let exited: Promise<unknown>;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'epa-start-words-'));
  env = {
    ...process.env,
    EPA_DATA_DIR: dir,
    TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`,
    TEMPORAL_UI_URL: `http://127.0.0.1:${await freePort()}`,
    EPA_API_PORT: String(await freePort()),
    EPA_MAIL_CATCHER_PORT: String(await freePort()),
    EPA_ASSESSMENT_FAKE_PORT: String(await freePort()),
  };
  child = spawn(process.execPath, [path.resolve(__dirname, '../../dist/src/start.js')], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  exited = new Promise((resolve) => child.once('exit', resolve));
  await eventually(async () => expect(output).toContain('epa-flow is running'), 90_000);
}, 120_000);
afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGINT');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

interface Mail {
  file: string;
  parsed: ParsedMail;
  to: string[];
  kind: string;
  key: string;
}
const seen = new Map<string, Mail>();
/** Every message the catcher has kept so far (parsed once each). */
async function outbox(): Promise<Mail[]> {
  const folder = path.join(dir, 'outbox');
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.eml') && !seen.has(f))) {
    const parsed = await simpleParser(readFileSync(path.join(folder, file)));
    const to = (Array.isArray(parsed.to) ? parsed.to : parsed.to ? [parsed.to] : []).flatMap((a) =>
      a.value.map((v) => v.address ?? ''),
    );
    seen.set(file, {
      file,
      parsed,
      to,
      kind: String(parsed.headers.get('x-epa-kind') ?? ''),
      key: String(parsed.headers.get('x-epa-key') ?? ''),
    });
  }
  return [...seen.values()];
}

function calendarOf(mail: Mail): { method: string; event: ICAL.Event; ics: string } {
  const ics = mail.parsed.attachments.find((a) => a.contentType === 'text/calendar')?.content.toString('utf8');
  if (!ics) throw new Error(`no calendar in ${mail.kind}`);
  const calendar = new ICAL.Component(ICAL.parse(ics));
  return {
    method: String(calendar.getFirstPropertyValue('method')),
    event: new ICAL.Event(calendar.getFirstSubcomponent('vevent')!),
    ics,
  };
}

test('on npm start: an assessor-only change, then a corrected email, each moving the invite it should (002 Assessment Booking)', async () => {
  const api = `http://127.0.0.1:${env.EPA_API_PORT}`;
  const tokens = JSON.parse(readFileSync(path.join(dir, 'tokens.json'), 'utf8')) as { admin: string[] };
  const auth = { authorization: `Bearer ${tokens.admin[0]}`, 'content-type': 'application/json' };
  const today = londonDateOf(Date.now());
  const input = epaStart({ gatewaySubmittedOn: addDays(today, -2) });
  const record = async (type: string, payload: Record<string, unknown>, key?: string) => {
    const res = await fetch(`${api}/api/epas/${input.uln}/events`, {
      method: 'POST',
      headers: { ...auth, ...(key && { 'idempotency-key': key }) },
      body: JSON.stringify({ type, ...payload }),
    });
    const body = await res.text();
    expect([type, res.status, res.status === 200 ? '' : body]).toEqual([type, 200, '']);
  };
  expect((await fetch(`${api}/api/epas`, { method: 'POST', headers: auth, body: JSON.stringify(input) })).status).toBe(201);
  await passGatewayWith((type, payload) => record(type, payload), 'ST0071', today);
  // Three weeks ahead (over the 2 weeks' notice of 001 §5), on a weekday.
  let day = addDays(today, 21);
  while (isWeekendDay(day)) day = addDays(day, 1);
  const at = `${day}T10:00`;
  const priya = { name: 'Priya Lockhart', email: 'priya@assessors.example' };
  const sam = { name: 'Sam Oduya', email: 'sam@assessors.example' };
  const mine = async (kind: string) => (await outbox()).filter((m) => m.key.startsWith(`epa-${input.uln}/`) && m.kind === kind);

  await record('AssessmentBooked', { on: today, component: 'observation', at, assessor: priya }, 'book-1');
  const first = await eventually(async () => {
    const m = await mine('invite');
    expect(m).toHaveLength(3);
    return m;
  }, 30_000);
  const uid = calendarOf(first[0]!).event.uid;

  // The assessor only: same time, another assessor.
  await record('AssessmentBooked', { on: today, component: 'observation', at, assessor: sam }, 'book-2');
  const changed = await eventually(async () => {
    const m = (await mine('invite')).filter((x) => calendarOf(x).event.sequence === 1);
    expect(m).toHaveLength(3);
    return m;
  }, 30_000);
  const cancels = await eventually(async () => {
    const m = await mine('inviteCancelled');
    expect(m).toHaveLength(1);
    return m;
  }, 30_000);
  const apprentice = changed.find((m) => m.to.includes('ada.testwell@apprentice.example'))!;
  expect(apprentice.parsed.subject).toMatch(/^Assessor changed: your practical observation with Q&A on /);
  expect(apprentice.parsed.text).toContain('Your assessor has changed: Sam Oduya will assess you.');
  expect(apprentice.parsed.text).toContain('The date and time stay the same');
  expect(changed.find((m) => m.to.includes(sam.email))!.parsed.subject).toMatch(/^Booked: Ada Testwell, /);
  expect(cancels[0]!.to).toEqual([priya.email]);
  const cancel = calendarOf(cancels[0]!);
  expect([cancel.method, cancel.event.uid, cancel.event.sequence]).toEqual(['CANCEL', uid, 1]);
  for (const m of [...(await mine('invite')), ...cancels]) {
    expect(`${m.parsed.subject}\n${m.parsed.text}`).not.toMatch(/moved|rescheduled|new time/i);
  }

  // The apprentice's email corrected: CANCEL at the old address, nothing personal; REQUEST to the new one.
  await record('ContactDetailsChanged', { on: today, role: 'apprentice', email: 'ada.new@apprentice.example', reason: 'typo' });
  const oldAddress = await eventually(async () => {
    const m = (await outbox()).filter((x) => x.kind === 'inviteCancelledAtOldAddress');
    expect(m).toHaveLength(1);
    return m[0]!;
  }, 30_000);
  const reissued = await eventually(async () => {
    const m = (await mine('invite')).filter((x) => x.to.includes('ada.new@apprentice.example'));
    expect(m).toHaveLength(1);
    return m[0]!;
  }, 30_000);
  expect(oldAddress.to).toEqual(['ada.testwell@apprentice.example']);
  expect(oldAddress.key).toBe(''); // not even the EPA's key (it holds the ULN)
  const gone = calendarOf(oldAddress);
  expect([gone.method, gone.event.uid, gone.event.sequence, gone.event.startDate.toString()]).toEqual(['CANCEL', uid, 2, day]);
  for (const part of [oldAddress.parsed.subject ?? '', oldAddress.parsed.text ?? '', gone.ics.replace(/^UID:.*$/m, '')]) {
    for (const personal of ['Ada', 'Testwell', 'Sam', 'Priya', 'Brightside', 'ST0071', '10:00', input.uln]) {
      expect([personal, part.includes(personal)]).toEqual([personal, false]);
    }
  }
  const request = calendarOf(reissued);
  expect([request.method, request.event.uid, request.event.sequence, request.event.startDate.toString()]).toEqual([
    'REQUEST',
    uid,
    2,
    `${at}:00`,
  ]);
  // The EPA logs the send once the activity's answer reaches it, a moment after the SMTP server's 250.
  await eventually(async () => {
    const status = (await (await fetch(`${api}/api/epas/${input.uln}`, { headers: auth })).json()) as {
      log: { kind: string; status: string }[];
    };
    expect(status.log.filter((l) => l.kind === 'inviteCancelledAtOldAddress').map((l) => l.status)).toEqual(['sent']);
  }, 30_000);
}, 180_000);
