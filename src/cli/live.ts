/**
 * `epa start | event | status | list | overdue`: live EPAs through Temporal (TEMPORAL_ADDRESS etc.).
 * Each prints a readable table, or JSON with --json. Refusals from the workflow's Update validators
 * reach the user verbatim.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { Command } from 'commander';
import { epaClientOptions, loadConfig, publicBaseUrl, type Config } from '../config';
import { epaLinks, overdueBoard } from '../app/epas';
import type { EpaListings } from '../app/listings';
import { openListings } from '../store/stores';
import { temporalWorkflowUrl } from '../temporal/connection';
import { EpaHistoryError, EpaInputError } from '../epa/errors';
import { connectClient } from '../temporal/connection';
import { EpaAlreadyExistsError, EpaClient, EpaNotFoundError, EpaRejectedError, type EpaListing } from '../app/epa-client';
import type { EpaStatus, RulesInUse } from '../../workflows/definitions';
import { shortHash } from '../plans/registry';
import type { Io } from './io';
import { CliError, EXIT } from './main';
import { table } from './table';
import { demo } from './demo';
import { applyImport, IMPORT_COLUMNS, importOutcomes, outcomeLine, planImport } from '../app/import';
import { lateWords } from '../epa/timeline';

/** Lists through the same source as the staff pages: the listing index with a database, else visibility. */
async function withListings<T>(fn: (listings: EpaListings, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  return await withClient(async (epa) => {
    const source = await openListings(config, epa);
    try {
      return await fn(source.listings, config);
    } finally {
      await source.close();
    }
  });
}

/** Who runs the CLI, for `by`: their account on this machine. */
function cliUser(): string {
  try {
    return `cli:${os.userInfo().username}`;
  } catch {
    return 'cli';
  }
}

/** `[##########··········] 240/480` */
export function progressBar(done: number, total: number, width = 30): string {
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'·'.repeat(width - filled)}] ${done}/${total}`;
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CliError(`${what} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`, EXIT.invalid);
  }
}

async function withClient<T>(fn: (epa: EpaClient) => Promise<T>): Promise<T> {
  const config = loadConfig();
  let client;
  try {
    client = await connectClient(config);
  } catch (err) {
    throw new CliError(
      `cannot reach Temporal at ${config.TEMPORAL_ADDRESS}: ${err instanceof Error ? err.message : String(err)}`,
      EXIT.failure,
    );
  }
  try {
    return await fn(new EpaClient(client, config.TEMPORAL_TASK_QUEUE, epaClientOptions(config)));
  } catch (err) {
    if (err instanceof EpaNotFoundError) throw new CliError(err.message, EXIT.notFound);
    if (err instanceof EpaRejectedError) throw new CliError(`refused (${err.kind}): ${err.message}`, EXIT.invalid);
    if (err instanceof EpaAlreadyExistsError) throw new CliError(err.message, EXIT.invalid);
    if (err instanceof EpaInputError) throw new CliError(err.message, EXIT.invalid);
    if (err instanceof EpaHistoryError) {
      const lines = err.problems.map((p) => `  events[${p.index}].${p.field}: ${p.message}`);
      throw new CliError(
        `the history has ${err.problems.length} problem(s); nothing was started:\n${lines.join('\n')}`,
        EXIT.invalid,
      );
    }
    throw err;
  } finally {
    await client.connection.close();
  }
}

/** Which rules the EPA decides by: the plan version and EPAO policy pinned at its start, with their hashes. */
function rulesLine(r: RulesInUse): string {
  return `rules ${r.standard} v${r.version} (${shortHash(r.planHash)}), ${r.epao} (${shortHash(r.policyHash)})`;
}

function listingRows(rows: EpaListing[]): Record<string, unknown>[] {
  return rows.map((r) => ({
    uln: r.uln,
    apprentice: r.apprentice,
    standard: r.standard,
    employer: r.employer,
    stage: r.stage,
    overdue: r.overdue ? 'yes' : '',
    next: r.nextDeadline ? `${r.nextDeadline.key} ${r.nextDeadline.due}` : '',
  }));
}

export function addLiveCommands(program: Command, io: Io): void {
  const out = (json: boolean | undefined, value: unknown, text: () => string) =>
    io.stdout(json ? JSON.stringify(value, null, 2) + '\n' : text());

  program
    .command('start')
    .description(
      'start an EPA at its gateway submission (JSON: uln, apprentice, employer, provider, standard, epao, gatewaySubmittedOn; optionally standardVersion (default: the newest the EPAO assesses) and events: its history so far, oldest first)',
    )
    .option('-d, --data <json>', 'the EPA as JSON')
    .option('-f, --file <path>', 'read the EPA from a file (default: standard input)')
    .option(
      '--idempotency-key <key>',
      "this request's key (default: a new one, printed): run again with it and the EPA is started once",
    )
    .option('--json', 'JSON output')
    .action(async (opts: { data?: string; file?: string; idempotencyKey?: string; json?: boolean }) => {
      const text = opts.data ?? (opts.file ? readFileSync(opts.file, 'utf8') : io.readStdin());
      const raw = parseJson(text, 'the EPA') as Record<string, unknown>;
      const config = loadConfig();
      const input =
        raw && typeof raw === 'object' ? { epaoAdmin: { name: 'EPA Admin', email: config.EPA_ADMIN_EMAIL }, ...raw } : raw;
      const idempotencyKey = opts.idempotencyKey ?? randomUUID();
      io.stderr(`idempotency key: ${idempotencyKey}\n`);
      const started = await withClient((epa) => epa.start(input, undefined, { idempotencyKey, by: cliUser() }));
      out(
        opts.json,
        { epaId: started.epaId, uln: started.input.uln },
        () => `started ${started.epaId} (${started.input.standard}, ${started.input.epao})\n`,
      );
    });

  program
    .command('import')
    .description(
      `start many EPAs from a CSV file (header row; columns ${IMPORT_COLUMNS.join(', ')}; dates as dd/mm/yyyy or yyyy-mm-dd; events is an optional JSON array). Dry run unless --apply`,
    )
    .requiredOption('-f, --file <path>', 'the CSV file')
    .option('--apply', 'start the EPAs the dry run would start (safe to run again: a ULN already started is skipped)')
    .option('--json', 'JSON output')
    .action(async (opts: { file: string; apply?: boolean; json?: boolean }) => {
      let csv: string;
      try {
        csv = readFileSync(opts.file, 'utf8');
      } catch (err) {
        throw new CliError(`cannot read ${opts.file}: ${err instanceof Error ? err.message : String(err)}`, EXIT.invalid);
      }
      const config = loadConfig();
      await withClient(async (epa) => {
        const plan = await planImport(csv, epa, { epaoAdmin: { name: 'EPA Admin', email: config.EPA_ADMIN_EMAIL } });
        // Every row, in file order, in the words the import page uses.
        const lines = [
          `${plan.counts.start} to start, ${plan.counts.skip} to skip (an EPA exists), ${plan.counts.refuse} refused${opts.apply ? '' : ' (dry run: nothing started; add --apply)'}`,
          ...importOutcomes(plan).map(outcomeLine),
        ];
        if (!opts.apply) {
          out(opts.json, { ...plan, rows: plan.rows.map(({ input: _i, ...row }) => row) }, () => lines.join('\n') + '\n');
          return;
        }
        const result = await applyImport(
          plan,
          epa,
          (done, total) => {
            if (!opts.json) io.stderr(`\r${progressBar(done, total)}${done === total ? '\n' : ''}`);
          },
          `${cliUser()} (import)`,
        );
        out(
          opts.json,
          { counts: plan.counts, ...result },
          () =>
            [
              lines[0],
              `started ${result.started.length}, skipped ${result.skipped.length}, failed ${result.failed.length}`,
              ...importOutcomes(plan, result).map(outcomeLine),
            ].join('\n') + '\n',
        );
        if (result.failed.length > 0) throw new CliError(`${result.failed.length} EPA(s) could not be started`, EXIT.failure);
      });
    });

  program
    .command('restart <uln>')
    .description(
      'start a finished (withdrawn or completed) EPA again: an explicit act with a reason; earlier runs stay readable (epa runs)',
    )
    .requiredOption('-r, --reason <text>', 'why the EPA starts again (kept in its status)')
    .option('-d, --data <json>', 'the EPA as JSON (as for start)')
    .option('-f, --file <path>', 'read the EPA from a file (default: standard input)')
    .option('--json', 'JSON output')
    .action(async (uln: string, opts: { reason: string; data?: string; file?: string; json?: boolean }) => {
      const text = opts.data ?? (opts.file ? readFileSync(opts.file, 'utf8') : io.readStdin());
      const raw = parseJson(text, 'the EPA') as Record<string, unknown>;
      if (!raw || typeof raw !== 'object' || Array.isArray(raw))
        throw new CliError('the EPA must be a JSON object', EXIT.invalid);
      const config = loadConfig();
      const input = { epaoAdmin: { name: 'EPA Admin', email: config.EPA_ADMIN_EMAIL }, ...raw, uln };
      const r = await withClient((epa) => epa.restart(input, opts.reason));
      out(
        opts.json,
        { epaId: r.epaId, uln, restartOf: r.restartOf },
        () => `restarted ${r.epaId} (the earlier run ${r.restartOf.previousRunId} was ${r.restartOf.previousStatus})\n`,
      );
    });

  program
    .command('runs <uln>')
    .description('every run of an EPA: the first start, continue-as-new runs, restarts')
    .option('--json', 'JSON output')
    .action(async (uln: string, opts: { json?: boolean }) => {
      const runs = await withClient((epa) => epa.runs(uln));
      out(opts.json, runs, () =>
        table(runs.map((r) => ({ run: r.runId, status: r.status, started: r.startedAt, closed: r.closedAt ?? '' }))),
      );
    });

  program
    .command('event <uln> <type>')
    .description(
      'record an admin event, e.g. epa event 1234567899 AssessmentBooked --data \'{"on":"2027-01-05","component":"observation","at":"2027-01-26T10:00"}\'',
    )
    .option('-d, --data <json>', 'the event fields as JSON (on, component, at, grade, override: {reason}, …)')
    .option('--event-id <id>', "this event's id (default: a new one, printed): run again with it and the event is recorded once")
    .option('--json', 'JSON output')
    .action(async (uln: string, type: string, opts: { data?: string; eventId?: string; json?: boolean }) => {
      const payload = opts.data ? parseJson(opts.data, '--data') : {};
      if (!payload || typeof payload !== 'object' || Array.isArray(payload))
        throw new CliError('--data must be a JSON object', EXIT.invalid);
      const fields = payload as Record<string, unknown>;
      const eventId = opts.eventId ?? (typeof fields.eventId === 'string' ? fields.eventId : randomUUID());
      io.stderr(`event id: ${eventId}\n`);
      const summary = await withClient((epa) => epa.recordEvent(uln, type, { by: cliUser(), ...fields, eventId }));
      out(
        opts.json,
        { ...summary, eventId },
        () =>
          `${type} recorded for ${uln} (event id ${eventId}): stage ${summary.stage}${summary.overdue ? ' (OVERDUE)' : ''}\n` +
          table(summary.deadlines.map((d) => ({ deadline: d.key, due: d.due, status: d.status }))),
      );
    });

  /** Before the gateway is passed: the evidence still missing (001 §4, 002, 003, 004), or that it is complete. */
  const gatewayEvidenceLine = (s: EpaStatus): string => {
    if (s.epaStart) return '';
    const missing = (s.gatewayEvidence ?? []).filter((e) => !e.met);
    if (missing.length === 0) return 'gateway evidence: complete';
    return `gateway evidence missing: ${missing.map((e) => `${e.name}${e.detail ? ` (${e.detail})` : ''} [${e.source}]`).join('; ')}`;
  };

  program
    .command('status <uln>')
    .description('where an EPA stands: stage, deadlines, grades, notifications')
    .option('--json', 'JSON output')
    .action(async (uln: string, opts: { json?: boolean }) => {
      const s = await withClient((epa) => epa.status(uln));
      out(opts.json, s, () =>
        [
          `${s.epaId}  ${s.people.apprentice.name}  ${s.standard}/${s.epao}  ${s.people.employer.organisation}`,
          `stage ${s.stage}${s.overdue ? '  OVERDUE' : ''}   grades ${JSON.stringify(s.grades)}   overall ${s.overall ?? (s.provisionalOverall ? `${s.provisionalOverall} (provisional: not yet moderated)` : '-')}`,
          gatewayEvidenceLine(s),
          rulesLine(s.rules),
          '',
          table(
            s.deadlines.map((d) => ({
              deadline: d.key,
              due: d.due,
              status: d.status === 'metLate' && d.lateBy ? `metLate (${lateWords(d.lateBy)})` : d.status,
              met: d.metOn ?? '',
              override: d.override?.reason ?? '',
              source: d.source,
            })),
          ),
          s.metLate.deadlines ? `met late: ${s.metLate.deadlines} deadline(s), ${s.metLate.epaoOwed} the EPAO's own` : '',
          s.violations.length
            ? `violations:\n${table(s.violations.map((v) => ({ rule: v.rule, on: v.on, message: v.message, source: v.source, override: v.overridden ?? '' })))}`
            : '',
          s.overrides.length
            ? `overrides:\n${table(s.overrides.map((o) => ({ rule: o.rule, on: o.on, reason: o.reason })))}`
            : '',
          `timeline:\n${table(s.timeline.map((t) => ({ '#': t.number, on: t.on, event: t.type, by: t.by ?? '', recorded: t.recordedAt.slice(0, 16).replace('T', ' '), reason: t.reason ?? '', changed: t.changed.join('; ') })))}`,
          `notifications sent: ${s.log.filter((l) => l.status === 'sent').length}, failed: ${s.log.filter((l) => l.status === 'failed').length}`,
          // A failed message is final (permanent, or retried until its time ran out): each with why, for the admin to act on.
          ...s.log
            .filter((l) => l.status === 'failed')
            .map((l) => `  failed: ${l.kind} to the ${l.role}: ${l.error ?? 'no reason given'}`),
          '',
        ].join('\n'),
      );
    });

  program
    .command('list')
    .description('list EPAs')
    .option('--stage <stage>')
    .option('--standard <standard>')
    .option('--employer <employer>')
    .option('--epao <epao>')
    .option('--json', 'JSON output')
    .action(async (opts: { stage?: string; standard?: string; employer?: string; epao?: string; json?: boolean }) => {
      const { json, ...filter } = opts;
      const rows = await withListings((listings) => listings.all(filter, 'apprentice', io.now()));
      out(json, rows, () => table(listingRows(rows)));
    });

  program
    .command('overdue')
    .description('EPAs with a missed deadline, most overdue first')
    .option('--json', 'JSON output')
    .action(async (opts: { json?: boolean }) => {
      const rows = await withListings((listings, config) =>
        overdueBoard(
          listings,
          io.now(),
          epaLinks(publicBaseUrl(config), (epaId) => temporalWorkflowUrl(config, epaId)),
        ),
      );
      out(opts.json, rows, () =>
        table(
          rows.map((r) => ({
            uln: r.uln,
            apprentice: r.apprentice,
            standard: r.standard,
            employer: r.employer,
            stage: r.stage,
            missed: r.missedDeadline,
            due: r.missedDue,
            days: r.daysOverdue,
          })),
        ),
      );
    });

  program
    .command('demo')
    .description('load a handful of invented apprentices in varied stages (dates relative to today)')
    .action(async () => {
      const started = await withClient((epa) => demo(epa, io.now()));
      io.stdout(`loaded ${started.length} demo EPAs: ${started.join(', ')}\n`);
    });
}
