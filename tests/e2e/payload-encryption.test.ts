/**
 * Personal data encrypted at rest: with EPA_PAYLOAD_KEYS set, the worker process and the client
 * encrypt every payload (AES-256-GCM, key id in the metadata) before Temporal stores it. Checked on
 * the dev server's real history: no name or email in it, every payload sealed with the current key;
 * a key rotated without breaking older histories; the codec endpoint decrypting for admin tokens only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { addDays, londonDateOf } from '../../src/calendar';
import { buildCodecServer } from '../../src/processes/codec-server';
import { startDevServer, type DevServer } from '../../src/temporal/dev-server';
import { EpaClient } from '../../src/app/epa-client';
import {
  ENCRYPTED_ENCODING,
  EncryptionCodec,
  newPayloadKey,
  parsePayloadKeys,
  UnknownPayloadKeyError,
} from '../../src/temporal/payload-codec';
import { eventually } from '../support/lifecycle';
import { epaStart } from '../support/people';
import { passGatewayWith } from '../support/walk';

const QUEUE = 'epa-encrypted';
const K1 = newPayloadKey('k1');
const K2 = newPayloadKey('k2');
let dir: string;
let server: DevServer;
let connection: Connection;
let worker: ChildProcess | undefined;
const today = londonDateOf(Date.now());
const start = epaStart({
  gatewaySubmittedOn: addDays(today, -3),
  apprentice: { name: 'Wren Ashdown-Pike', email: 'wren.ashdown@apprentice.example' },
});

function startWorker(keys: string): ChildProcess {
  return spawn(process.execPath, [path.resolve(__dirname, '../../dist/workers/main.js')], {
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: server.address,
      TEMPORAL_TASK_QUEUE: QUEUE,
      EPA_DATA_DIR: path.join(dir, 'worker'),
      EPA_PAYLOAD_KEYS: keys,
      EPA_WORKER_LOG_LEVEL: 'WARN',
    },
    stdio: 'ignore',
  });
}

async function stopWorker(): Promise<void> {
  const w = worker;
  worker = undefined;
  if (!w || w.exitCode !== null) return;
  const exited = new Promise((r) => w.once('exit', r));
  w.kill('SIGTERM');
  await exited;
}

const epaWith = (keys: string): EpaClient =>
  new EpaClient(
    new Client({ connection, dataConverter: { payloadCodecs: [new EncryptionCodec(parsePayloadKeys(keys))] } }),
    QUEUE,
  );

/** Every payload in the EPA's stored history, as Temporal keeps it (a client without the keys). */
async function storedPayloads(): Promise<Payload[]> {
  const history = await new Client({ connection }).workflow.getHandle(`epa-${start.uln}`).fetchHistory();
  const found: Payload[] = [];
  const walk = (x: unknown): void => {
    if (!x || typeof x !== 'object') return;
    if (x instanceof Uint8Array) return;
    const o = x as Record<string, unknown>;
    if ('data' in o && 'metadata' in o && o.metadata && typeof o.metadata === 'object' && 'encoding' in (o.metadata as object)) {
      found.push(o as Payload);
      return;
    }
    for (const [k, v] of Object.entries(o)) if (k !== 'searchAttributes') walk(v);
  };
  walk(history.events);
  return found;
}

const meta = (p: Payload, key: string): string => new TextDecoder().decode(p.metadata?.[key] ?? new Uint8Array());

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'epa-codec-'));
  server = await startDevServer({ dbFile: path.join(dir, 'temporal.db') });
  connection = await Connection.connect({ address: server.address });
});

afterAll(async () => {
  await stopWorker();
  await connection?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('with EPA_PAYLOAD_KEYS the stored history holds no name or email: every payload is sealed with the current key', async () => {
  worker = startWorker(K1);
  const epa = epaWith(K1);
  await epa.start(start);
  await passGatewayWith((type, payload) => epa.recordEvent(start.uln, type, payload), 'ST0071', today);
  const status = await eventually(() => epa.status(start.uln), 30_000);
  expect(status.people.apprentice.name).toBe('Wren Ashdown-Pike');
  // Lists read the memo through the codec too.
  const listed = await eventually(async () => {
    const rows = await epa.list({});
    expect(rows.map((r) => r.apprentice)).toContain('Wren Ashdown-Pike');
    return rows;
  }, 30_000);
  expect(listed).toHaveLength(1);

  const payloads = await storedPayloads();
  // The SDK writes its markers itself, in plain JSON: a patch's name, or a local activity's type,
  // ids and times (the listing index write's: its input is never stored, its result is sealed).
  const plain = payloads.filter((p) => meta(p, 'encoding') !== ENCRYPTED_ENCODING);
  for (const p of plain) {
    const text = Buffer.from(p.data ?? []).toString();
    if (text.includes('activity_type'))
      expect(Object.keys(JSON.parse(text) as object).sort()).toEqual(
        ['activity_id', 'activity_type', 'attempt', 'backoff', 'complete_time', 'original_schedule_time', 'seq'].sort(),
      );
    else expect(text).toMatch(/^\{"id":"[a-z-]+","deprecated":false\}$/);
  }
  // At least one marker is there to check (a patch's, since an Update's row is written by an ordinary activity).
  expect(plain.length).toBeGreaterThan(0);
  const sealed = payloads.filter((p) => meta(p, 'encoding') === ENCRYPTED_ENCODING);
  expect(sealed.length).toBeGreaterThan(10);
  for (const p of sealed) expect(meta(p, 'encryption-key-id')).toBe('k1');
  const raw = Buffer.concat(payloads.map((p) => Buffer.from(p.data ?? []))).toString('latin1');
  for (const secret of ['Wren', 'Ashdown', 'wren.ashdown@apprentice.example', 'Noor Castellan'])
    expect(raw).not.toContain(secret);
});

test('a new key put first: the EPA started under the old key carries on, new payloads use the new key; a missing key is named', async () => {
  await stopWorker();
  worker = startWorker(`${K2},${K1}`);
  const epa = epaWith(`${K2},${K1}`);
  const before = (await storedPayloads()).filter((p) => meta(p, 'encoding') === ENCRYPTED_ENCODING).length;
  await eventually(
    () =>
      epa.recordEvent(start.uln, 'AssessmentBooked', { on: today, component: 'observation', at: `${addDays(today, 21)}T10:00` }),
    30_000,
  );
  expect((await epa.status(start.uln)).people.apprentice.email).toBe('wren.ashdown@apprentice.example');
  const after = (await storedPayloads()).filter((p) => meta(p, 'encoding') === ENCRYPTED_ENCODING);
  expect(after.slice(0, before).every((p) => meta(p, 'encryption-key-id') === 'k1')).toBe(true);
  expect(after.slice(before).length).toBeGreaterThan(0);
  expect(after.slice(before).every((p) => meta(p, 'encryption-key-id') === 'k2')).toBe(true);
  // Without k1, the old payloads cannot be read, and the error says which key is missing.
  await expect(new EncryptionCodec(parsePayloadKeys(K2)).decode([after[0]!])).rejects.toThrow(UnknownPayloadKeyError);
  await expect(new EncryptionCodec(parsePayloadKeys(K2)).decode([after[0]!])).rejects.toThrow(/key "k1"/);
});

test('the codec endpoint decrypts for an admin token only, and answers the Temporal UI origin', async () => {
  const app = buildCodecServer({
    codec: new EncryptionCodec(parsePayloadKeys(`${K2},${K1}`)),
    tokens: ['engineer:codec-token-0123456789'],
    origins: ['http://127.0.0.1:8233'],
  });
  const sealed = (await storedPayloads()).find((p) => meta(p, 'encoding') === ENCRYPTED_ENCODING)!;
  const body = {
    payloads: [
      {
        metadata: Object.fromEntries(Object.entries(sealed.metadata!).map(([k, v]) => [k, Buffer.from(v!).toString('base64')])),
        data: Buffer.from(sealed.data!).toString('base64'),
      },
    ],
  };
  const refused = await app.inject({ method: 'POST', url: '/decode', payload: body });
  expect(refused.statusCode).toBe(401);
  const wrong = await app.inject({ method: 'POST', url: '/decode', payload: body, headers: { authorization: 'Bearer nope' } });
  expect(wrong.statusCode).toBe(401);
  const decoded = await app.inject({
    method: 'POST',
    url: '/decode',
    payload: body,
    headers: { authorization: 'Bearer codec-token-0123456789', origin: 'http://127.0.0.1:8233' },
  });
  expect(decoded.statusCode).toBe(200);
  expect(decoded.headers['access-control-allow-origin']).toBe('http://127.0.0.1:8233');
  const plain = (decoded.json() as { payloads: { metadata: Record<string, string>; data: string }[] }).payloads[0]!;
  expect(Buffer.from(plain.metadata.encoding!, 'base64').toString()).toBe('json/plain');
  expect(Buffer.from(plain.data, 'base64').toString()).toContain('Wren Ashdown-Pike');
  const preflight = await app.inject({ method: 'OPTIONS', url: '/decode', headers: { origin: 'https://elsewhere.example' } });
  expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  await app.close();
});
