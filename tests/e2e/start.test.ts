/**
 * `npm start`'s main job (node dist/src/start.js) on a fresh data directory: it starts the dev
 * server, mail catcher, worker, API and dashboard and prints their URLs; the API answers and the
 * worker runs EPAs; Ctrl-C (SIGINT) stops everything; the next start resumes the EPAs from the file.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addDays, londonDateOf } from '../../src/calendar';
import { freePort } from '../../src/temporal/binaries';
import { eventually } from '../support/lifecycle';
import { epaStart } from '../support/people';

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
  };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function start(): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [path.resolve(__dirname, '../../dist/src/start.js')], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out, exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
}

test('starts everything, serves the API, stops on Ctrl-C, resumes on the next start', async () => {
  const api = `http://127.0.0.1:${env.EPA_API_PORT}`;
  let run = start();
  const banner = await eventually(async () => {
    expect(run.output()).toContain('epa-flow is running');
    return run.output();
  }, 90_000);
  expect(banner).toContain(`Dashboard      ${api}/dashboard`);
  const tokens = JSON.parse(readFileSync(path.join(dir, 'tokens.json'), 'utf8')) as { admin: string[] };
  const auth = { authorization: `Bearer ${tokens.admin[0]}`, 'content-type': 'application/json' };
  const today = londonDateOf(Date.now());
  const input = epaStart({ gatewaySubmittedOn: addDays(today, -2) });
  expect((await fetch(`${api}/api/epas`, { method: 'POST', headers: auth, body: JSON.stringify(input) })).status).toBe(201);
  const booked = await fetch(`${api}/api/epas/${input.uln}/events`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ type: 'GatewayPassed', on: today }),
  });
  expect(booked.status).toBe(200);
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
  const dashboard = await fetch(`${api}/dashboard`, { headers: { cookie: `epa_token=${tokens.admin[0]}` } });
  expect(await dashboard.text()).toContain('EPAs by stage');
  run.child.kill('SIGINT');
  expect(await run.exited).toBe(0);
  expect(readdirSync(dir)).toEqual(expect.arrayContaining(['temporal.db', 'tokens.json']));
});
