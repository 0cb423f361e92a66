/**
 * `npm start`'s main job (node dist/src/start.js) on a fresh data directory: it starts the dev
 * server, mail catcher, worker, API and dashboard and prints their URLs; the API answers and the
 * worker runs EPAs; Ctrl-C (SIGINT) stops everything; the next start resumes the EPAs from the file.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addDays, londonDateOf } from '../../src/calendar';
import { freePort, portInUse, resolveTemporalCli } from '../../src/temporal/binaries';
import { devServerArgs } from '../../src/temporal/dev-server';
import { eventually } from '../support/lifecycle';
import { epaStart } from '../support/people';
import { passGatewayWith } from '../support/walk';

let dir: string;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'epa-start-'));
  env = {
    ...process.env,
    EPA_DATA_DIR: dir,
    TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`,
    TEMPORAL_UI_URL: `http://127.0.0.1:${await freePort()}`,
    EPA_API_PORT: String(await freePort()),
    EPA_MAIL_CATCHER_PORT: String(await freePort()),
    EPA_ASSESSMENT_FAKE_PORT: String(await freePort()),
  };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function start(): { child: ChildProcess; output: () => string; exited: Promise<number | string | null> } {
  const child = spawn(process.execPath, [path.resolve(__dirname, '../../dist/src/start.js')], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  // How it ended: the exit code, or the signal that ended it with what it printed (for the failure message).
  const exited = new Promise<number | string | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? `${signal}; it printed:\n${out}`)),
  );
  return { child, output: () => out, exited };
}

test('starts everything, serves the API, stops on Ctrl-C, resumes on the next start', async () => {
  const api = `http://127.0.0.1:${env.EPA_API_PORT}`;
  let run = start();
  const banner = await eventually(async () => {
    expect(run.output()).toContain('epa-flow is running');
    return run.output();
  }, 90_000);
  expect(banner).toContain(`Staff pages    ${api}/epas`);
  // The assessment service's local fake (claims for EPAOs set to claim through it), answering.
  const fakeUrl = `http://127.0.0.1:${env.EPA_ASSESSMENT_FAKE_PORT}/`;
  expect(banner).toContain(`Certificates   assessment service fake ${fakeUrl}`);
  expect(await (await fetch(`${fakeUrl}Ping`)).json()).toBe('Pong');
  // The first admin account, its password shown once on this terminal.
  const [, adminUser, adminPassword] = /First admin\s+(\S+) \/ (\S+)/.exec(banner)!;
  expect(adminUser).toBe('admin');
  const tokens = JSON.parse(readFileSync(path.join(dir, 'tokens.json'), 'utf8')) as { admin: string[] };
  const auth = { authorization: `Bearer ${tokens.admin[0]}`, 'content-type': 'application/json' };
  const today = londonDateOf(Date.now());
  const input = epaStart({ gatewaySubmittedOn: addDays(today, -2) });
  expect((await fetch(`${api}/api/epas`, { method: 'POST', headers: auth, body: JSON.stringify(input) })).status).toBe(201);
  // The gateway evidence, the pass and the planning meeting (001 §4, 002), each through the API.
  await passGatewayWith(
    async (type, payload) => {
      const recorded = await fetch(`${api}/api/epas/${input.uln}/events`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ type, ...payload }),
      });
      expect([type, recorded.status]).toEqual([type, 200]);
    },
    'ST0071',
    today,
  );
  // `npm run demo` loads the invented apprentices into the running job; a second run adds nothing.
  const demo = spawnSync(process.execPath, [path.resolve(__dirname, '../../bin/epa.js'), 'demo'], { env, encoding: 'utf8' });
  expect(demo.status).toBe(0);
  expect(demo.stdout).toContain('loaded 6 demo EPAs');
  expect(
    spawnSync(process.execPath, [path.resolve(__dirname, '../../bin/epa.js'), 'demo'], { env, encoding: 'utf8' }).stdout,
  ).toContain('loaded 0 demo EPAs');
  const overdue = await eventually(async () => {
    const rows = (await (await fetch(`${api}/api/epas/overdue`, { headers: auth })).json()) as { epas: { apprentice: string }[] };
    expect(rows.epas.length).toBeGreaterThanOrEqual(3);
    return rows.epas;
  });
  expect(overdue.map((e) => e.apprentice)).toContain('Bram Okafor');
  run.child.kill('SIGINT');
  expect(await run.exited).toBe(0);
  expect(run.output()).toContain('stopped.');

  run = start();
  await eventually(async () => expect(run.output()).toContain('epa-flow is running'), 90_000);
  const status = await fetch(`${api}/api/epas/${input.uln}`, { headers: auth });
  expect(status.status).toBe(200);
  expect(await status.json()).toMatchObject({ stage: 'InAssessment', epaStart: today });
  expect(run.output()).not.toContain('First admin'); // only when there is no account yet
  // The first admin signs in to the staff pages (a session and its CSRF token) and sees the board.
  const login = await fetch(`${api}/login`);
  const session = login.headers.get('set-cookie')!.split(';')[0]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await login.text())![1]!;
  const signedIn = await fetch(`${api}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: session, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, username: adminUser!, password: adminPassword!, returnTo: '/dashboard' }),
  });
  expect(signedIn.status).toBe(302);
  const cookie = signedIn.headers.get('set-cookie')!.split(';')[0]!;
  const dashboard = await fetch(`${api}/dashboard`, { headers: { cookie } });
  expect(await dashboard.text()).toContain('EPAs by stage');
  run.child.kill('SIGINT');
  expect(await run.exited).toBe(0);
  expect(readdirSync(dir)).toEqual(expect.arrayContaining(['temporal.db', 'tokens.json', 'users.json', 'session-secret']));
});

const mode = (file: string) => statSync(file).mode & 0o777;

test('personal data at rest is owner-only: data directory, database, outbox messages, sent records', () => {
  expect(mode(dir)).toBe(0o700);
  for (const f of ['temporal.db', 'temporal.db-wal', 'temporal.db-shm', 'tokens.json', 'users.json', 'session-secret'])
    if (existsSync(path.join(dir, f))) expect([f, mode(path.join(dir, f))]).toEqual([f, 0o600]);
  const emails = readdirSync(path.join(dir, 'outbox')).filter((f) => f.endsWith('.eml'));
  expect(emails.length).toBeGreaterThan(0);
  expect(mode(path.join(dir, 'outbox'))).toBe(0o700);
  for (const f of emails) expect(mode(path.join(dir, 'outbox', f))).toBe(0o600);
  // The sent records and the copies of the messages sent (sent/copies/…): every directory 0700, every file 0600.
  const files: string[] = [];
  const walk = (d: string): void => {
    expect([d, mode(d)]).toEqual([d, 0o700]);
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else files.push(p);
    }
  };
  walk(path.join(dir, 'sent'));
  expect(files.length).toBeGreaterThan(0);
  expect(files.some((f) => f.includes(`${path.sep}copies${path.sep}`))).toBe(true);
  for (const f of files) expect([f, mode(f)]).toEqual([f, 0o600]);
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('kill -9 of npm start takes the dev server with it; the next start runs', async () => {
  let run = start();
  await eventually(async () => expect(run.output()).toContain('epa-flow is running'), 90_000);
  const { pid } = JSON.parse(readFileSync(path.join(dir, 'temporal.pid'), 'utf8')) as { pid: number };
  expect(alive(pid)).toBe(true);
  run.child.kill('SIGKILL');
  await run.exited;
  await eventually(async () => expect(alive(pid)).toBe(false), 20_000);
  run = start();
  await eventually(async () => expect(run.output()).toContain('epa-flow is running'), 90_000);
  run.child.kill('SIGINT');
  expect(await run.exited).toBe(0);
});

test('a dev server left behind by an earlier start (no parent-death signal) is recognised, stopped and replaced', async () => {
  // As on a machine without setpriv: a server of ours on the port, its parent gone, its pid file kept.
  const cli = resolveTemporalCli();
  if (cli.type !== 'existing-path') throw new Error('no Temporal CLI');
  const port = Number(env.TEMPORAL_ADDRESS!.split(':').pop());
  const dbFile = path.join(dir, 'temporal.db');
  const stale = spawn(cli.path, devServerArgs({ dbFile, port, namespace: 'default' }), { detached: true, stdio: 'ignore' });
  stale.unref();
  writeFileSync(path.join(dir, 'temporal.pid'), JSON.stringify({ pid: stale.pid, port, dbFile }));
  await eventually(async () => expect(await portInUse(port)).toBe(true), 30_000);
  const run = start();
  await eventually(async () => expect(run.output()).toContain('epa-flow is running'), 90_000);
  expect(run.output()).toContain(`stopped a Temporal dev server (pid ${stale.pid}) left running on port ${port}`);
  expect(alive(stale.pid!)).toBe(false);
  run.child.kill('SIGINT');
  expect(await run.exited).toBe(0);
});

test('any other process on the port is reported clearly and left alone', async () => {
  const port = Number(env.TEMPORAL_ADDRESS!.split(':').pop());
  const net = await import('node:net');
  const squatter = net.createServer().listen(port, '127.0.0.1');
  await new Promise((r) => squatter.once('listening', r));
  try {
    const run = start();
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain(`port ${port} is already in use`);
  } finally {
    await new Promise((r) => squatter.close(r));
  }
});
