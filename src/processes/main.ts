/**
 * `epa-flow`: the production processes, each its own entry point, configured only by environment
 * variables (src/config.ts; docs/operations.md, Production):
 *
 *   epa-flow migrate   epa-flow's PostgreSQL tables, the Temporal namespace (retention) and search attributes
 *   epa-flow worker    one EPA worker (run as many as the load needs, on as many hosts)
 *   epa-flow api       the HTTP API and the staff pages
 *   epa-flow codec     the codec endpoint: encrypted payloads readable in the Temporal UI by engineers
 *   epa-flow reindex   the listing index filled from Temporal's visibility (EPAs started before it)
 *   epa-flow erase U   a data-erasure request for ULN U: its EPA's runs deleted from Temporal, its list row too
 *
 * Exit codes: 0 ok, 1 failure, 2 bad configuration.
 */
import { mkdirSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { Runtime } from '@temporalio/worker';
import { buildApi } from '../api/server';
import { epaClientOptions, loadConfig, type Config } from '../config';
import { Connection } from '@temporalio/client';
import { connectClient, connectionOptions } from '../temporal/connection';
import { EpaClient, EpaNotFoundError, EpaRejectedError, parseUln } from '../app/epa-client';
import { EpaInputError } from '../epa/errors';
import { workflowIdFor } from '../epa/ids';
import { openStores, reindexFromVisibility } from '../store/stores';
import { PgSentStore } from '../store/pg-sent-record';
import { SentStore } from '../store/sent-record';
import { ensureNamespace } from '../temporal/namespace';
import { rules } from '../plans';
import { databasePool, describeDatabase } from '../store/database';
import { migrate, requireMigrated } from '../store/migrations';
import { PgListingIndex } from '../store/pg-listing-index';
import { redactingLogger } from '../../workers/logger';
import { startWorker } from '../../workers/main';
import { apiOptions, firstAdmin } from './local-secrets';
import { buildCodecServer } from './codec-server';
import { EncryptionCodec, parsePayloadKeys } from '../temporal/payload-codec';

type Out = (line: string) => void;

export async function runMigrate(config: Config, out: Out): Promise<void> {
  const pool = databasePool(config);
  let indexCreated = false;
  if (pool) {
    try {
      const report = await migrate(pool);
      indexCreated = report.applied.some((m) => m.version === LISTING_INDEX_MIGRATION);
      out(
        `database ${describeDatabase(config.EPA_DATABASE_URL!)}: schema version ${report.current}` +
          (report.applied.length
            ? ` (applied ${report.applied.map((m) => `${m.version} ${m.name}`).join('; ')})`
            : ' (up to date)'),
      );
    } finally {
      await pool.end();
    }
  } else {
    out('database: none configured (EPA_DATABASE_URL): the sent record stays in files');
  }
  const connection = await Connection.connect({ ...connectionOptions(config), connectTimeout: 10_000 });
  try {
    const ns = await ensureNamespace(connection, config.TEMPORAL_NAMESPACE, config.EPA_RETENTION_DAYS);
    out(
      `namespace ${ns.namespace}${ns.created ? ' (registered)' : ''}: closed EPAs kept ${ns.retentionDays} days; ` +
        (ns.searchAttributesAdded.length
          ? `search attributes added: ${ns.searchAttributesAdded.join(', ')}`
          : 'search attributes present'),
    );
  } finally {
    await connection.close();
  }
  // A new listing index starts with the EPAs already running (epa-flow reindex, once).
  if (indexCreated) await runReindex(config, out);
}

/** `epa-flow erase <ULN>`: what epa-flow holds of one apprentice's EPA, deleted (docs/operations.md, Personal data in histories). */
export async function runErase(config: Config, uln: string, out: Out): Promise<void> {
  const client = await connectClient(config);
  const pool = databasePool(config);
  try {
    const epa = new EpaClient(client, config.TEMPORAL_TASK_QUEUE, epaClientOptions(config));
    const { runsDeleted } = await epa.erase(uln);
    out(`deleted ${runsDeleted} run(s) of the EPA from Temporal (histories and visibility rows)`);
    const epaId = workflowIdFor(parseUln(uln));
    if (pool) {
      const gone = await new PgListingIndex(pool).erase(epaId);
      out(gone ? 'deleted its row from the listing index' : 'the listing index held no row for it');
    }
    // The copies of the messages sent for it (the message pages): in PostgreSQL, or the data directory's files.
    const copies = await (pool ? new PgSentStore(pool) : new SentStore(config.sentDir)).erase(epaId);
    out(`deleted ${copies} kept cop${copies === 1 ? 'y' : 'ies'} of the messages sent for it`);
    out(
      'left to do by hand: .eml files in the outbox (file transport only) and rows in your import files (docs/operations.md, Personal data in histories)',
    );
  } finally {
    await pool?.end();
    await client.connection.close();
  }
}

/** The migration that creates the listing index. */
const LISTING_INDEX_MIGRATION = 2;

export async function runReindex(config: Config, out: Out): Promise<void> {
  const pool = databasePool(config);
  if (!pool) throw new Error('configuration: EPA_DATABASE_URL: the listing index lives in the database');
  const client = await connectClient(config);
  try {
    await requireMigrated(pool);
    const index = new PgListingIndex(pool);
    const started = Date.now();
    const report = await reindexFromVisibility(
      new EpaClient(client, config.TEMPORAL_TASK_QUEUE, epaClientOptions(config)),
      index,
      (seen) => {
        if (seen > 0 && seen % 10_000 === 0) out(`reindex: ${seen} EPAs read from visibility`);
      },
    );
    out(
      `listing index: ${report.seen} EPAs in visibility, ${report.written} rows written or marked ended, ` +
        `${await index.size()} rows (${((Date.now() - started) / 1000).toFixed(1)} s)`,
    );
  } finally {
    await pool.end();
    await client.connection.close();
  }
}

export async function runApi(config: Config, out: Out): Promise<() => Promise<void>> {
  rules();
  mkdirSync(config.EPA_DATA_DIR, { recursive: true, mode: 0o700 });
  const client = await connectClient(config);
  const epa = new EpaClient(client, config.TEMPORAL_TASK_QUEUE, epaClientOptions(config));
  const stores = await openStores(config, epa);
  const admin = await firstAdmin(stores.users, stores.accountAudit);
  const api = buildApi(apiOptions(config, epa, stores, config.TEMPORAL_UI_URL));
  const url = await api.listen({ host: config.EPA_API_HOST, port: config.EPA_API_PORT });
  out(
    `epa api on ${url} (staff pages ${url}/epas) → Temporal ${config.TEMPORAL_ADDRESS} (${config.TEMPORAL_NAMESPACE}); ${stores.describe}`,
  );
  if (admin) out(`first admin: ${admin}`);
  return async () => {
    await api.close();
    await stores.close();
    await client.connection.close();
  };
}

export async function main(argv: string[], out: Out = (l) => console.log(l)): Promise<number> {
  const load = (): Config => loadConfig();
  const program = new Command('epa-flow').description('epa-flow production processes').exitOverride();
  program
    .command('migrate')
    .description("epa-flow's database tables, the Temporal namespace with its retention, and the search attributes")
    .action(async () => runMigrate(load(), out));
  program
    .command('worker')
    .description('an EPA worker: workflows and deliveries on the task queue')
    .action(async () => {
      Runtime.install({ logger: redactingLogger((process.env.EPA_WORKER_LOG_LEVEL as 'INFO' | undefined) ?? 'INFO') });
      const config = load();
      const { worker, transport, sentRecord, listingIndex, assessmentService, close } = await startWorker(config);
      out(
        `epa worker ${process.pid} on ${config.TEMPORAL_ADDRESS} (${config.TEMPORAL_NAMESPACE}/${config.TEMPORAL_TASK_QUEUE}); mail: ${transport}; sent record: ${sentRecord}; listing index: ${listingIndex}; assessment service: ${assessmentService}`,
      );
      await worker.run(); // until SIGINT or SIGTERM
      await close();
    });
  program
    .command('erase <uln>')
    .description("a data-erasure request: a finished EPA's runs deleted from Temporal and its row from the listing index")
    .action(async (uln: string) => runErase(load(), uln, out));
  program
    .command('reindex')
    .description("the listing index filled from Temporal's visibility: EPAs started before it, or before the database")
    .action(async () => runReindex(load(), out));
  program
    .command('api')
    .description('the HTTP API and the staff pages')
    .action(async () => {
      const close = await runApi(load(), out);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await close();
    });
  program
    .command('codec')
    .description('the codec endpoint for the Temporal UI: decrypts payloads for admin tokens (EPA_PAYLOAD_KEYS)')
    .action(async () => {
      const config = load();
      if (!config.EPA_PAYLOAD_KEYS) throw new Error('configuration: EPA_PAYLOAD_KEYS: the codec endpoint needs the payload keys');
      if (!config.EPA_ADMIN_TOKENS?.length)
        throw new Error('configuration: EPA_ADMIN_TOKENS: the codec endpoint only answers admin tokens');
      const origins = (config.EPA_CODEC_CORS_ORIGINS ?? new URL(config.TEMPORAL_UI_URL).origin).split(',').map((o) => o.trim());
      const server = buildCodecServer({
        codec: new EncryptionCodec(parsePayloadKeys(config.EPA_PAYLOAD_KEYS)),
        tokens: config.EPA_ADMIN_TOKENS,
        origins,
      });
      const url = await server.listen({ host: config.EPA_API_HOST, port: config.EPA_CODEC_PORT });
      out(`epa codec endpoint on ${url} (for the Temporal UI at ${origins.join(', ')})`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await server.close();
    });
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    const message = err instanceof Error ? err.message : String(err);
    console.error(`epa-flow: ${message}`);
    // A refusal (an unknown ULN, a running EPA) is the caller's to fix, like bad configuration.
    const refused = err instanceof EpaNotFoundError || err instanceof EpaRejectedError || err instanceof EpaInputError;
    return refused || message.startsWith('configuration:') ? 2 : 1;
  }
}

if (require.main === module) {
  void main(process.argv).then((code) => process.exit(code));
}
