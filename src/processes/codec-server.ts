/**
 * `epa-flow codec`: the codec endpoint the Temporal UI (or `temporal --codec-endpoint`) calls to show
 * encrypted payloads in plain text to an authorised engineer. Temporal's remote codec protocol:
 * POST /decode and /encode with `{ "payloads": [{ "metadata": { k: base64 }, "data": base64 }] }`.
 *
 * Only admin bearer tokens may call it (engineers' tokens; the UI passes one with "include
 * credentials" or a proxy adds it); the UI's origin must be listed for CORS. Nothing it decodes is
 * logged.
 */
import { timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Payload, PayloadCodec } from '@temporalio/common';

const Body = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string(), z.string()).optional(), data: z.string().optional() })).max(10_000),
});

const toPayload = (p: z.infer<typeof Body>['payloads'][number]): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))])),
  data: new Uint8Array(Buffer.from(p.data ?? '', 'base64')),
});

const fromPayload = (p: Payload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')])),
  data: Buffer.from(p.data ?? []).toString('base64'),
});

export interface CodecServerOptions {
  codec: PayloadCodec;
  /** Bearer tokens allowed to decode (admin tokens, `name:token` or bare). */
  tokens: string[];
  /** Origins (the Temporal UI's) allowed to call from a browser. */
  origins: string[];
}

export function buildCodecServer(options: CodecServerOptions): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 20 * 1024 * 1024 });
  const secrets = options.tokens.map((t) => Buffer.from(t.includes(':') ? t.slice(t.indexOf(':') + 1) : t));
  const allowed = (header: string | undefined): boolean => {
    const given = Buffer.from(/^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '');
    return secrets.some((s) => s.length === given.length && timingSafeEqual(s, given));
  };
  app.addHook('onRequest', async (req, reply) => {
    const origin = req.headers.origin;
    if (origin && options.origins.includes(origin)) {
      reply.header('Access-Control-Allow-Origin', origin);
      reply.header('Access-Control-Allow-Credentials', 'true');
      reply.header('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Namespace');
      reply.header('Access-Control-Allow-Methods', 'POST, OPTIONS');
      reply.header('Vary', 'Origin');
    }
    if (req.method === 'OPTIONS') return reply.code(204).send();
    if (!allowed(req.headers.authorization))
      return reply.code(401).send({ error: 'unauthorised', message: 'an admin bearer token is required' });
  });
  for (const op of ['decode', 'encode'] as const) {
    app.post(`/${op}`, async (req, reply) => {
      const parsed = Body.safeParse(req.body);
      if (!parsed.success)
        return reply
          .code(400)
          .send({ error: 'invalid_input', message: 'expected {"payloads": [{"metadata": {…}, "data": "…"}]}' });
      try {
        const out = await options.codec[op](parsed.data.payloads.map(toPayload));
        return { payloads: out.map(fromPayload) };
      } catch (err) {
        return reply.code(400).send({ error: 'codec', message: err instanceof Error ? err.message : String(err) });
      }
    });
  }
  return app;
}
