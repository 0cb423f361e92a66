/**
 * Configuration from the environment, validated by zod, with the embedded defaults `npm start`
 * runs on. Production settings are documented in docs/operations.md.
 */
import path from 'node:path';
import { z } from 'zod';

const bool = z.enum(['1', '0', 'true', 'false', 'yes', 'no']).transform((v) => v === '1' || v === 'true' || v === 'yes');
const tokens = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().min(16, 'API tokens must be at least 16 characters')));

export const ConfigSchema = z.object({
  /** Where local state lives: the dev server's SQLite file, the outbox, the sent-message record. */
  EPA_DATA_DIR: z.string().default('.data'),
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('epa'),
  /** mTLS to a self-hosted cluster or Temporal Cloud: PEM file paths. */
  TEMPORAL_TLS_CERT: z.string().optional(),
  TEMPORAL_TLS_KEY: z.string().optional(),
  TEMPORAL_TLS_CA: z.string().optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().optional(),
  /** Temporal Cloud API key (implies TLS). */
  TEMPORAL_API_KEY: z.string().optional(),
  /** Temporal web UI base URL, for links from the dashboard. */
  TEMPORAL_UI_URL: z.string().default('http://127.0.0.1:8233'),
  /** smtp://user:pass@host:587 or smtps://…:465; unset: write .eml files to the outbox. */
  SMTP_URL: z.string().optional(),
  EPA_OUTBOX_DIR: z.string().optional(),
  /** SMTP pool size; the worker runs no more deliveries at once, so none waits inside the pool. */
  EPA_SMTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(100).default(5),
  /** How long a message's claim holds without renewal (renewed every 5 s while sending). */
  EPA_DELIVERY_LEASE_SECONDS: z.coerce.number().int().min(10).max(3600).default(30),
  /** Sender of every email and ORGANIZER of every invite. */
  EPA_FROM_NAME: z.string().default('EPA Team'),
  EPA_FROM_EMAIL: z.email().default('epa@epao.example'),
  /** The EPAO admin mailbox new EPAs alert, unless the start request names one. */
  EPA_ADMIN_EMAIL: z.email().default('epa-admin@epao.example'),
  /**
   * The staff site's public base URL (what staff type, behind any proxy): links to epa-flow's own
   * pages from outside them (the board's CSV). Unset: http://<EPA_API_HOST>:<EPA_API_PORT> (publicBaseUrl).
   */
  EPA_PUBLIC_URL: z.url({ protocol: /^https?$/, message: 'an http:// or https:// URL' }).optional(),
  EPA_API_HOST: z.string().default('127.0.0.1'),
  EPA_API_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Bearer tokens, comma-separated: admin may write, ops may only read. */
  EPA_ADMIN_TOKENS: tokens.optional(),
  EPA_OPS_TOKENS: tokens.optional(),
  /** Staff accounts for the web pages (epa users …); default: users.json in the data directory. */
  EPA_USERS_FILE: z.string().optional(),
  /** Signs the staff pages' session cookies: at least 32 characters; default: made once, kept in the data directory. */
  EPA_SESSION_SECRET: z.string().min(32, 'at least 32 characters').optional(),
  /** The pages are served over HTTPS (behind a proxy that terminates TLS): session cookies get `Secure`. */
  EPA_HTTPS: bool.default(false),
  /**
   * The TLS proxy in front of the API, whose X-Forwarded-For and X-Forwarded-Proto are believed (fastify's
   * `trustProxy`): its addresses or CIDR ranges, comma-separated (`127.0.0.1`, `10.0.0.0/8`), or `true`
   * for any. Unset or `false`: none (the client is the connection's address). docs/operations.md.
   */
  EPA_TRUST_PROXY: z
    .string()
    .optional()
    .transform((v, ctx): boolean | string[] => {
      const value = (v ?? '').trim();
      if (value === '' || value === 'false' || value === '0' || value === 'no') return false;
      if (value === 'true' || value === 'yes') return true;
      const list = value
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean);
      const bad = list.find(
        (a) => !/^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(a) && !['loopback', 'linklocal', 'uniquelocal'].includes(a),
      );
      if (bad) {
        ctx.addIssue({ code: 'custom', message: `"${bad.slice(0, 60)}" is not an address or CIDR range (or true / false)` });
        return z.NEVER;
      }
      return list;
    }),
  /**
   * The quiet period before the admin's summary of facts entered late (src/epa/late-entry.ts), in
   * seconds, for tests and demos. Unset: the EPAO's setting (`lateEntry.quietMinutes`, default 10 minutes).
   */
  EPA_LATE_ENTRY_QUIET_SECONDS: z.coerce.number().int().min(0).max(86_400).optional(),
  /** A staff session's absolute lifetime from sign-in, however busy (EPAO setting): hours, default 12. */
  EPA_SESSION_ABSOLUTE_HOURS: z.coerce.number().min(0.01).max(168).default(12),
  /**
   * PostgreSQL for epa-flow's own tables (the shared record of sent messages): postgres://user:pass@host:5432/epa.
   * Unset: the file store under the data directory (one worker host only).
   */
  EPA_DATABASE_URL: z.string().optional(),
  EPA_DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  /** How long Temporal keeps a closed EPA's history (and the personal data in it): `epa-flow migrate` sets it. EPAO setting. */
  /**
   * The Department for Education's assessment service (claims for EPAOs whose policy says
   * `claimThrough: assessmentService`): its External API base URL and the EPAO's subscription key.
   * Unset: claims become an admin task saying so. `npm start` runs a local fake unless set.
   */
  EPA_ASSESSMENT_SERVICE_URL: z.url().optional(),
  EPA_ASSESSMENT_SERVICE_KEY: z.string().min(8).optional(),
  EPA_ASSESSMENT_SERVICE_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(300).default(30),
  /** npm start: run the local fake of the assessment service when no URL is set (never in production). */
  EPA_START_ASSESSMENT_FAKE: bool.default(true),
  EPA_ASSESSMENT_FAKE_PORT: z.coerce.number().int().min(0).max(65535).default(8090),
  EPA_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /**
   * Payload encryption keys, `id:<base64 of 32 bytes>` comma-separated, the first encrypting
   * (docs/operations.md, Personal data in histories). Unset: payloads are stored as JSON (the embedded default).
   */
  EPA_PAYLOAD_KEYS: z.string().optional(),
  /** The codec endpoint for the Temporal UI (`epa-flow codec`): port, and the UI origins allowed to call it. */
  EPA_CODEC_PORT: z.coerce.number().int().min(0).max(65535).default(8888),
  EPA_CODEC_CORS_ORIGINS: z.string().optional(),
  /** Dev mail catcher (npm start): SMTP port on loopback. */
  EPA_MAIL_CATCHER_PORT: z.coerce.number().int().min(0).max(65535).default(1025),
  EPA_START_MAIL_CATCHER: bool.default(true),
  /** Worker workflow cache: 1,000 keeps 10,000 running EPAs under 1 GiB (docs/scale.md). */
  EPA_MAX_CACHED_WORKFLOWS: z.coerce.number().int().nonnegative().default(1000),
  EPA_SQLITE_SYNCHRONOUS: z.enum(['FULL', 'NORMAL']).default('FULL'),
  /** API log level (structured JSON lines without personal data; 500s are logged at error). */
  EPA_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'),
});

export type Config = z.infer<typeof ConfigSchema> & { outboxDir: string; sentDir: string; usersFile: string };

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`configuration: ${issue.path.join('.')}: ${issue.message}`);
  }
  const c = parsed.data;
  const dataDir = path.resolve(c.EPA_DATA_DIR);
  return {
    ...c,
    EPA_DATA_DIR: dataDir,
    outboxDir: path.resolve(c.EPA_OUTBOX_DIR ?? path.join(dataDir, 'outbox')),
    sentDir: path.join(dataDir, 'sent'),
    usersFile: path.resolve(c.EPA_USERS_FILE ?? path.join(dataDir, 'users.json')),
  };
}

/** What every EPA client of this process starts EPAs with (src/app/epa-client.ts `EpaClientOptions`). */
export function epaClientOptions(config: Pick<Config, 'EPA_LATE_ENTRY_QUIET_SECONDS'>): {
  settings?: { lateEntryQuietSeconds: number };
} {
  const quiet = config.EPA_LATE_ENTRY_QUIET_SECONDS;
  return quiet === undefined ? {} : { settings: { lateEntryQuietSeconds: quiet } };
}

/** The staff site's public base URL, without a trailing slash: EPA_PUBLIC_URL, else the API's own address (a wildcard host as loopback). */
export function publicBaseUrl(config: Pick<Config, 'EPA_PUBLIC_URL' | 'EPA_API_HOST' | 'EPA_API_PORT'>): string {
  if (config.EPA_PUBLIC_URL) return config.EPA_PUBLIC_URL.replace(/\/+$/, '');
  const host = ['0.0.0.0', '::', '[::]', ''].includes(config.EPA_API_HOST) ? '127.0.0.1' : config.EPA_API_HOST;
  return `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${config.EPA_API_PORT}`;
}
