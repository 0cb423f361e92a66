/**
 * Bulk import: many apprentices' EPAs from one CSV file (one row each), for an EPAO moving to
 * epa-flow. The CLI (`epa import`), the API (`POST /api/imports`) and later the web app all call
 * these two functions.
 *
 * - `planImport` is the dry run: every row is checked completely (fields, standard and EPAO, the
 *   gateway date, its history) and ends as `start`, `skip` (its ULN already has an EPA) or `refuse`
 *   (each of its problems listed, with the CSV line and column). Nothing starts. The rows are
 *   checked 16 at a time (each asks Temporal whether its EPA exists); the plan lists them in file order.
 * - `applyImport` starts the rows the plan would start. It is safe to run again: an EPA is
 *   identified by its ULN, so rows already started are skipped.
 */
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { EpaHistoryError, EpaInputError, isEpaError } from '../epa/errors';
import { EpaStartSchema, type EpaStart } from '../epa/people';
import { EpaAlreadyExistsError, type EpaClient } from './epa-client';

/** The columns, in the order a template lists them; `events` and the EPAO admin are optional. */
export const IMPORT_COLUMNS = [
  'uln',
  'apprentice_name',
  'apprentice_email',
  'employer',
  'employer_contact_name',
  'employer_contact_email',
  'provider',
  'provider_contact_name',
  'provider_contact_email',
  'standard',
  'epao',
  'gateway_submitted_on',
  'events',
] as const;
const OPTIONAL = new Set(['events']);

/** Where a field of the start request comes from in the CSV. */
const COLUMN_OF: Record<string, string> = {
  uln: 'uln',
  'apprentice.name': 'apprentice_name',
  'apprentice.email': 'apprentice_email',
  'employer.organisation': 'employer',
  'employer.name': 'employer_contact_name',
  'employer.email': 'employer_contact_email',
  'provider.organisation': 'provider',
  'provider.name': 'provider_contact_name',
  'provider.email': 'provider_contact_email',
  standard: 'standard',
  epao: 'epao',
  gatewaySubmittedOn: 'gateway_submitted_on',
};

export interface ImportProblem {
  column: string;
  message: string;
}

export interface ImportRow {
  /** The line in the file (the header is line 1). */
  line: number;
  uln: string;
  action: 'start' | 'skip' | 'refuse';
  /** Why it is skipped or refused: every problem of the row. */
  problems: ImportProblem[];
  /** For `start`: the checked request. */
  input?: EpaStart;
}

export interface ImportPlan {
  rows: ImportRow[];
  counts: { start: number; skip: number; refuse: number };
}

export class ImportFileError extends EpaInputError {}

function columnFor(path: string): string {
  if (path.startsWith('events')) return 'events';
  return COLUMN_OF[path] ?? path;
}

function requestOf(
  record: Record<string, string>,
  defaults: { epaoAdmin: { name: string; email: string } },
): { raw: Record<string, unknown>; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  let events: unknown;
  const eventsText = (record.events ?? '').trim();
  if (eventsText) {
    try {
      events = JSON.parse(eventsText);
      if (!Array.isArray(events)) problems.push({ column: 'events', message: 'a JSON array of events, oldest first' });
    } catch (err) {
      problems.push({ column: 'events', message: `not valid JSON: ${err instanceof Error ? err.message : String(err)}` });
    }
  }
  const raw: Record<string, unknown> = {
    uln: record.uln,
    apprentice: { name: record.apprentice_name, email: record.apprentice_email },
    employer: { organisation: record.employer, name: record.employer_contact_name, email: record.employer_contact_email },
    provider: { organisation: record.provider, name: record.provider_contact_name, email: record.provider_contact_email },
    epaoAdmin: defaults.epaoAdmin,
    standard: record.standard,
    epao: record.epao,
    gatewaySubmittedOn: record.gateway_submitted_on,
    ...(Array.isArray(events) && events.length > 0 && { events }),
  };
  return { raw, problems };
}

/** Reads and checks every row; starts nothing. */
export async function planImport(
  csv: string,
  epa: Pick<EpaClient, 'validateStart' | 'existing'>,
  defaults: { epaoAdmin: { name: string; email: string } },
  concurrency = 16,
): Promise<ImportPlan> {
  let records: Record<string, string>[];
  try {
    records = parse(csv, {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      bom: true,
      relax_column_count: false,
    });
  } catch (err) {
    throw new ImportFileError(`the file is not valid CSV: ${err instanceof Error ? err.message : String(err)}`, 'file');
  }
  const header = records.length > 0 ? Object.keys(records[0]!) : [];
  const missing = IMPORT_COLUMNS.filter((c) => !OPTIONAL.has(c) && records.length > 0 && !header.includes(c));
  if (records.length === 0) throw new ImportFileError('the file has no rows (a header row, then one apprentice per row)', 'file');
  if (missing.length > 0)
    throw new ImportFileError(`missing column(s): ${missing.join(', ')} (columns: ${IMPORT_COLUMNS.join(', ')})`, 'file');

  // First every row's fields and its ULN against the rows above it (in file order), then the
  // checks that take time (the rules over its history, whether its EPA exists: a round trip to
  // Temporal) for many rows at once. Nothing starts, so the order they finish in changes nothing.
  const seen = new Map<string, number>();
  const rows: ImportRow[] = [];
  const checks: { row: ImportRow; request: EpaStart }[] = [];
  for (const [i, record] of records.entries()) {
    const line = i + 2;
    const uln = record.uln ?? '';
    const { raw, problems } = requestOf(record, defaults);
    const parsed = EpaStartSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        problems.push({ column: columnFor(issue.path.map(String).join('.')), message: issue.message });
    }
    const earlier = seen.get(uln);
    if (earlier !== undefined) problems.push({ column: 'uln', message: `the same ULN as line ${earlier}` });
    else if (uln) seen.set(uln, line);
    const row: ImportRow = { line, uln, action: 'refuse', problems };
    rows.push(row);
    if (parsed.success && problems.length === 0) checks.push({ row, request: parsed.data });
  }
  let next = 0;
  const work = async (): Promise<void> => {
    for (let k = next++; k < checks.length; k = next++) await checkRow(checks[k]!.row, checks[k]!.request, epa);
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, concurrency), checks.length) }, work));
  const count = (a: ImportRow['action']) => rows.filter((r) => r.action === a).length;
  return { rows, counts: { start: count('start'), skip: count('skip'), refuse: count('refuse') } };
}

/** A row whose fields are valid: the rules over its request and history, then whether its EPA exists. */
async function checkRow(row: ImportRow, request: EpaStart, epa: Pick<EpaClient, 'validateStart' | 'existing'>): Promise<void> {
  const { problems } = row;
  let input: EpaStart | undefined;
  try {
    input = await epa.validateStart(request);
  } catch (err) {
    if (err instanceof EpaHistoryError)
      for (const p of err.problems) problems.push({ column: 'events', message: `events[${p.index}].${p.field}: ${p.message}` });
    else if (err instanceof EpaInputError) problems.push({ column: columnFor(err.path), message: err.detail });
    else if (isEpaError(err)) problems.push({ column: 'events', message: err.message });
    else throw err;
  }
  if (problems.length > 0 || !input) return;
  const existing = await epa.existing(input.uln);
  if (existing) {
    row.action = 'skip';
    problems.push({ column: 'uln', message: `an EPA for this ULN is already ${existing}` });
  } else {
    row.action = 'start';
    row.input = input;
  }
}

export interface ImportResult {
  started: string[];
  /** Started meanwhile by someone else (or by an earlier run of this import): skipped. */
  skipped: string[];
  failed: { line: number; uln: string; message: string }[];
}

/** Starts the rows the plan would start, a few at a time; `onProgress(done, total)` after each. */
export async function applyImport(
  plan: ImportPlan,
  epa: Pick<EpaClient, 'start' | 'startImportSummary' | 'importStarted'>,
  onProgress?: (done: number, total: number) => void,
  by = 'import',
  concurrency = 16,
): Promise<ImportResult> {
  const todo = plan.rows.filter((r) => r.action === 'start' && r.input);
  const result: ImportResult = { started: [], skipped: [], failed: [] };
  const reporting: string[] = []; // started with something late: the summary waits for these
  if (todo.length === 0) return result;
  // One summary for the whole import (issue 28 part 2): started first, so every EPA can report to it.
  const importId = importIdOf(todo.map((r) => r.uln));
  await epa.startImportSummary(
    importId,
    todo.map((r) => r.uln),
    todo[0]!.input!.epaoAdmin,
  );
  let next = 0;
  let done = 0;
  const work = async (): Promise<void> => {
    for (let i = next++; i < todo.length; i = next++) {
      const row = todo[i]!;
      try {
        const { entersLate } = await epa.start(row.input, undefined, { by, importId });
        result.started.push(row.uln);
        if (entersLate) reporting.push(row.uln);
      } catch (err) {
        if (err instanceof EpaAlreadyExistsError) result.skipped.push(row.uln);
        else result.failed.push({ line: row.line, uln: row.uln, message: err instanceof Error ? err.message : String(err) });
      }
      onProgress?.(++done, todo.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, todo.length) }, work));
  await epa.importStarted(importId, result.started, reporting);
  return result;
}

/** An import's id: the same for the same rows to start (a re-run of an import killed before it started any). */
function importIdOf(ulns: string[]): string {
  return createHash('sha256')
    .update([...ulns].sort().join(','))
    .digest('hex')
    .slice(0, 16);
}
