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
import { dateFromText } from '../calendar';
import { EpaStartSchema, type EpaStart } from '../epa/people';
import { EpaAlreadyExistsError, type EpaClient } from './epa-client';
import { capitalise, historyProblemInWords, issueInWords } from './start-words';

/** One column of the import file: its header, what it holds in words, and the template's example. */
export interface ImportColumn {
  /** The header, as the file's first row writes it. */
  column: string;
  /** The start request's field it fills (start-words.ts says it in words). */
  path: string;
  /** What to write in it, in words. */
  explain: string;
  required: boolean;
  /** The template's invented example. */
  example: string;
}

/** The columns, in the order the template lists them: the one source for the template, the guide and the check. */
export const IMPORT_COLUMN_GUIDE: readonly ImportColumn[] = [
  {
    column: 'uln',
    path: 'uln',
    required: true,
    explain: "The apprentice's unique learner number (ULN): 10 digits from the Learning Records Service.",
    example: '1234567899',
  },
  {
    column: 'apprentice_name',
    path: 'apprentice.name',
    required: true,
    explain: "The apprentice's full name.",
    example: 'Rosa Example',
  },
  {
    column: 'apprentice_email',
    path: 'apprentice.email',
    required: true,
    explain: "The apprentice's email address: their booking invitations and reminders go there.",
    example: 'rosa.example@apprentice.example',
  },
  {
    column: 'employer',
    path: 'employer.organisation',
    required: true,
    explain: "The employer's organisation name.",
    example: 'Example Lettings Ltd',
  },
  {
    column: 'employer_contact_name',
    path: 'employer.name',
    required: true,
    explain: 'The name of the person at the employer who hears about the EPA.',
    example: 'Sam Sample',
  },
  {
    column: 'employer_contact_email',
    path: 'employer.email',
    required: true,
    explain: "That person's email address.",
    example: 'sam.sample@employer.example',
  },
  {
    column: 'provider',
    path: 'provider.organisation',
    required: true,
    explain: "The training provider's organisation name.",
    example: 'Example Training',
  },
  {
    column: 'provider_contact_name',
    path: 'provider.name',
    required: true,
    explain: 'The name of the person at the training provider who hears about the EPA.',
    example: 'Kit Placeholder',
  },
  {
    column: 'provider_contact_email',
    path: 'provider.email',
    required: true,
    explain: "That person's email address.",
    example: 'kit.placeholder@provider.example',
  },
  {
    column: 'standard',
    path: 'standard',
    required: true,
    explain: "The apprenticeship standard's reference, such as ST0071.",
    example: 'ST0071',
  },
  {
    column: 'epao',
    path: 'epao',
    required: true,
    explain: 'The end-point assessment organisation, by the short name epa-flow knows it by, such as innovate.',
    example: 'innovate',
  },
  {
    column: 'gateway_submitted_on',
    path: 'gatewaySubmittedOn',
    required: true,
    explain: 'The date the gateway was submitted, as 27/03/2027 (day/month/year) or 2027-03-27. Not a date in the future.',
    example: '02/11/2026',
  },
  {
    column: 'events',
    path: 'events',
    required: false,
    explain:
      'Optional. For an EPA already under way: what has happened since the gateway submission, oldest first, as a JSON list of events as the API takes them. Leave it empty for a new EPA.',
    example: '',
  },
];

/** The columns' headers, in the template's order. */
export const IMPORT_COLUMNS: readonly string[] = IMPORT_COLUMN_GUIDE.map((c) => c.column);
const OPTIONAL = new Set(IMPORT_COLUMN_GUIDE.filter((c) => !c.required).map((c) => c.column));

/** Where a field of the start request comes from in the CSV. */
const COLUMN_OF: Record<string, string> = Object.fromEntries(IMPORT_COLUMN_GUIDE.map((c) => [c.path, c.column]));

const csvCell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** The template to download: the header row with every column, then one invented example row. */
export function importTemplateCsv(): string {
  return [IMPORT_COLUMNS.join(','), IMPORT_COLUMN_GUIDE.map((c) => csvCell(c.example)).join(',')].join('\r\n') + '\r\n';
}

export interface ImportProblem {
  /** The column to fix (its header). */
  column: string;
  /** What is wrong, in words. */
  message: string;
}

export interface ImportRow {
  /** The line in the file (the header is line 1). */
  line: number;
  uln: string;
  /** The apprentice's name as the row gives it (empty when the row has none). */
  apprentice: string;
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
      if (!Array.isArray(events))
        problems.push({ column: 'events', message: 'The events must be a JSON array (a list in square brackets), oldest first' });
    } catch (err) {
      problems.push({
        column: 'events',
        message: `The events are not valid JSON: ${err instanceof Error ? err.message : String(err)}`,
      });
    }
  }
  // 27/03/2027 as in the UK, or 2027-03-27.
  const reading = dateFromText(record.gateway_submitted_on ?? '');
  if (reading && 'problem' in reading) {
    const words = reading.problem.words;
    problems.push({
      column: 'gateway_submitted_on',
      message: words.startsWith('must') ? `The gateway submission date ${words}` : capitalise(words),
    });
  }
  const raw: Record<string, unknown> = {
    uln: record.uln,
    apprentice: { name: record.apprentice_name, email: record.apprentice_email },
    employer: { organisation: record.employer, name: record.employer_contact_name, email: record.employer_contact_email },
    provider: { organisation: record.provider, name: record.provider_contact_name, email: record.provider_contact_email },
    epaoAdmin: defaults.epaoAdmin,
    standard: record.standard,
    epao: record.epao,
    gatewaySubmittedOn: reading ? ('date' in reading ? reading.date : undefined) : '',
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
      for (const issue of parsed.error.issues) {
        const { path, text } = issueInWords(issue, raw);
        const column = columnFor(path);
        // One problem a column: a date already refused in words is not refused again by the schema.
        if (!problems.some((p) => p.column === column)) problems.push({ column, message: text });
      }
    }
    const earlier = seen.get(uln);
    if (earlier !== undefined) problems.push({ column: 'uln', message: `The same ULN as line ${earlier}` });
    else if (uln) seen.set(uln, line);
    const row: ImportRow = { line, uln, apprentice: (record.apprentice_name ?? '').trim(), action: 'refuse', problems };
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
      for (const p of err.problems) problems.push({ column: 'events', message: historyProblemInWords(p) });
    else if (err instanceof EpaInputError) problems.push({ column: columnFor(err.path), message: capitalise(err.detail) });
    else if (isEpaError(err)) problems.push({ column: 'events', message: capitalise(err.message) });
    else throw err;
  }
  if (problems.length > 0 || !input) return;
  const existing = await epa.existing(input.uln);
  if (existing) {
    row.action = 'skip';
    problems.push({ column: 'uln', message: `This ULN already has an EPA (${existing})` });
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

/** What happened, or will happen, to one row, in words (the import page's table; the CLI's lines). */
export interface ImportOutcome {
  line: number;
  apprentice: string;
  uln: string;
  /** For the tag's colour: it starts (or started), it is skipped, or it is wrong (or failed). */
  tone: 'start' | 'skip' | 'problem';
  /** "Will start", "Already has an EPA: skipped", "Not started: 2 problems", "Started", "Could not start". */
  what: string;
  /** Each problem in words, with the column to fix. */
  details: string[];
}

const problemWords = (p: ImportProblem) => `${p.message} (column ${p.column})`;
const problemCount = (n: number) => `Not started: ${n === 1 ? '1 problem' : `${n} problems`}`;

/** Every row of the plan (after the dry run), or of the import (after `applyImport`), in file order. */
export function importOutcomes(plan: ImportPlan, result?: ImportResult): ImportOutcome[] {
  const started = new Set(result?.started);
  const skipped = new Set(result?.skipped);
  const failed = new Map(result?.failed.map((f) => [f.line, f.message]));
  return plan.rows.map((r) => {
    const base = { line: r.line, apprentice: r.apprentice, uln: r.uln };
    if (r.action === 'refuse')
      return { ...base, tone: 'problem', what: problemCount(r.problems.length), details: r.problems.map(problemWords) };
    if (r.action === 'skip')
      return { ...base, tone: 'skip', what: 'Already has an EPA: skipped', details: r.problems.map((p) => p.message) };
    if (!result) return { ...base, tone: 'start', what: 'Will start', details: [] };
    if (started.has(r.uln)) return { ...base, tone: 'start', what: 'Started', details: [] };
    if (skipped.has(r.uln))
      return {
        ...base,
        tone: 'skip',
        what: 'Already has an EPA: skipped',
        details: ['Started meanwhile, by someone else or an earlier run of this import'],
      };
    return {
      ...base,
      tone: 'problem',
      what: 'Could not start',
      details: [failed.get(r.line) ?? 'It was not started: try the import again'],
    };
  });
}

/** One row's outcome as a line of text (the CLI): "line 2, Rosa Example (ULN 1234567899): Will start". */
export function outcomeLine(o: ImportOutcome): string {
  const who = [o.apprentice || 'no name', o.uln ? `ULN ${o.uln}` : 'no ULN'];
  return `line ${o.line}, ${who[0]} (${who[1]}): ${o.what}${o.details.length ? ` – ${o.details.join('; ')}` : ''}`;
}
