/**
 * Payloads encrypted at rest: every workflow input, memo, event, query answer and activity argument
 * (apprentices' names and email addresses among them) is AES-256-GCM encrypted by the client and
 * the worker before it reaches Temporal, so the server's database and its histories hold ciphertext.
 *
 * - `EPA_PAYLOAD_KEYS=id1:<base64 32 bytes>,id0:<…>`: the first key encrypts; every listed key
 *   decrypts. The key id travels in each payload's metadata (`encryption-key-id`), so a key can be
 *   rotated by putting a new one first and keeping the old ones until no history needs them.
 * - Payloads that are not encrypted (histories from before encryption was turned on) pass through.
 * - Search attributes are not payloads and are not encrypted: docs/operations.md, Deployment topologies, lists them.
 * - A payload whose key id is not configured is a clear error naming the id, never garbage.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const CIPHER_METADATA = 'encryption-cipher';
const CIPHER = 'AES256GCM';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const text = new TextEncoder();
const untext = new TextDecoder();

export interface PayloadKeys {
  /** The key new payloads are encrypted with. */
  current: string;
  keys: Map<string, Buffer>;
}

/** Parses `id:<base64 key>[,id:<base64 key>…]`; the first is current. */
export function parsePayloadKeys(value: string): PayloadKeys {
  const keys = new Map<string, Buffer>();
  let current: string | undefined;
  for (const part of value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const at = part.indexOf(':');
    const id = part.slice(0, at);
    if (at < 1 || !/^[A-Za-z0-9._-]{1,64}$/.test(id)) {
      throw new Error('EPA_PAYLOAD_KEYS: each key is id:<base64 of 32 bytes>, the id letters, digits, . _ -');
    }
    const key = Buffer.from(part.slice(at + 1), 'base64');
    if (key.length !== 32) throw new Error(`EPA_PAYLOAD_KEYS: key ${id} is ${key.length} bytes, not 32 (AES-256)`);
    if (keys.has(id)) throw new Error(`EPA_PAYLOAD_KEYS: key id ${id} is listed twice`);
    keys.set(id, key);
    current ??= id;
  }
  if (current === undefined) throw new Error('EPA_PAYLOAD_KEYS: no key');
  return { current, keys };
}

/** A new random key as EPA_PAYLOAD_KEYS takes it. */
export function newPayloadKey(id: string): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}

export class UnknownPayloadKeyError extends Error {}

/** A payload as JSON bytes: its metadata and data, base64. */
function serialise(p: Payload): Buffer {
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(p.metadata ?? {})) if (v) metadata[k] = Buffer.from(v).toString('base64');
  return Buffer.from(JSON.stringify({ m: metadata, d: Buffer.from(p.data ?? new Uint8Array()).toString('base64') }));
}

function deserialise(bytes: Buffer): Payload {
  const { m, d } = JSON.parse(bytes.toString('utf8')) as { m: Record<string, string>; d: string };
  const metadata: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(m)) metadata[k] = new Uint8Array(Buffer.from(v, 'base64'));
  return { metadata, data: new Uint8Array(Buffer.from(d, 'base64')) };
}

export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly keys: PayloadKeys) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const key = this.keys.keys.get(this.keys.current)!;
    return await Promise.resolve(
      payloads.map((p) => {
        const iv = randomBytes(IV_BYTES);
        const cipher = createCipheriv('aes-256-gcm', key, iv);
        const sealed = Buffer.concat([iv, cipher.update(serialise(p)), cipher.final(), cipher.getAuthTag()]);
        return {
          metadata: {
            encoding: text.encode(ENCRYPTED_ENCODING),
            [KEY_ID_METADATA]: text.encode(this.keys.current),
            [CIPHER_METADATA]: text.encode(CIPHER),
          },
          data: new Uint8Array(sealed),
        };
      }),
    );
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return await Promise.resolve(
      payloads.map((p) => {
        const encoding = p.metadata?.encoding ? untext.decode(p.metadata.encoding) : '';
        if (encoding !== ENCRYPTED_ENCODING) return p; // from before encryption: as it is
        const id = p.metadata?.[KEY_ID_METADATA] ? untext.decode(p.metadata[KEY_ID_METADATA]) : '';
        const key = this.keys.keys.get(id);
        if (!key)
          throw new UnknownPayloadKeyError(`a payload is encrypted with key "${id}", which EPA_PAYLOAD_KEYS does not list`);
        const data = Buffer.from(p.data ?? new Uint8Array());
        const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
        decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
        const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
        return deserialise(plain);
      }),
    );
  }
}

/** The data converter for clients and workers: encryption when keys are configured, else the default. */
export function payloadCodecs(keys: string | undefined): PayloadCodec[] {
  return keys ? [new EncryptionCodec(parsePayloadKeys(keys))] : [];
}
