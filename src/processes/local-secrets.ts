/**
 * Secrets a local stack makes for itself when the configuration gives none, kept owner-only in the
 * data directory: API tokens, the session-signing secret, and a first admin account. A production
 * deployment sets EPA_ADMIN_TOKENS, EPA_OPS_TOKENS and EPA_SESSION_SECRET from its secret store.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { ApiOptions } from '../api/server';
import { addAccount, addUser, type AccountAudit, type UserStore } from '../app/users';
import { epaClientOptions, publicBaseUrl, type Config } from '../config';
import { EpaClient } from '../app/epa-client';
import type { OpenStores } from '../store/stores';

/** Tokens from the configuration, or made once and kept in the data directory. */
export function localTokens(dataDir: string, admin?: string[], ops?: string[]): { admin: string[]; ops: string[] } {
  if (admin?.length) return { admin, ops: ops ?? [] };
  const file = path.join(dataDir, 'tokens.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as { admin: string[]; ops: string[] };
  const tokens = { admin: [randomBytes(18).toString('base64url')], ops: [randomBytes(18).toString('base64url')] };
  writeFileSync(file, JSON.stringify(tokens, null, 2), { mode: 0o600 });
  return tokens;
}

/** The session-signing secret: from the configuration, or made once and kept in the data directory. */
export function sessionSecret(dataDir: string, configured?: string): string {
  if (configured) return configured;
  const file = path.join(dataDir, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/** With no staff account yet, a first admin whose password is shown once, on this terminal. */
export async function firstAdmin(store: UserStore, audit?: AccountAudit): Promise<string | undefined> {
  if ((await store.list()).length > 0) return undefined;
  const raw = { username: 'admin', name: 'First admin', role: 'admin' };
  const { user, password } = audit
    ? await addAccount({ users: store, audit }, { name: 'epa-flow, on its first start' }, raw)
    : await addUser(store, raw);
  return `${user.username} / ${password}   (shown once: add named accounts with npx epa users add)`;
}

/** The API's options from the configuration: what `npm start` and `epa-flow api` both serve. */
export function apiOptions(
  config: Config,
  client: Client | EpaClient,
  stores: Pick<OpenStores, 'users'> & Partial<Pick<OpenStores, 'listings' | 'sessions' | 'accountAudit' | 'sentCopies'>>,
  temporalUiUrl: string,
): ApiOptions {
  const tokens = localTokens(config.EPA_DATA_DIR, config.EPA_ADMIN_TOKENS, config.EPA_OPS_TOKENS);
  const users = stores.users;
  return {
    epa: client instanceof EpaClient ? client : new EpaClient(client, config.TEMPORAL_TASK_QUEUE, epaClientOptions(config)),
    ...(stores.listings && { listings: stores.listings }),
    ...(stores.sessions && { sessionStore: stores.sessions }),
    ...(stores.accountAudit && { accountAudit: stores.accountAudit }),
    ...(stores.sentCopies && { sentCopies: stores.sentCopies }),
    adminTokens: tokens.admin,
    opsTokens: tokens.ops,
    defaultEpaoAdmin: { name: 'EPA Admin', email: config.EPA_ADMIN_EMAIL },
    temporalUiUrl,
    publicUrl: publicBaseUrl(config),
    namespace: config.TEMPORAL_NAMESPACE,
    logger: { level: config.EPA_LOG_LEVEL },
    users,
    sessionSecret: sessionSecret(config.EPA_DATA_DIR, config.EPA_SESSION_SECRET),
    https: config.EPA_HTTPS,
    trustProxy: config.EPA_TRUST_PROXY,
    sessionAbsoluteMs: config.EPA_SESSION_ABSOLUTE_HOURS * 60 * 60 * 1000,
    serviceName: config.EPA_FROM_NAME,
  };
}
