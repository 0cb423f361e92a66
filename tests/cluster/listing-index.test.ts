/**
 * The listing index in PostgreSQL (src/store/pg-listing-index.ts) on a real server: a later version
 * always wins, the backfill never overwrites a workflow's own row, and every filter, search, order
 * and page gives the same rows and total as the reference (src/app/listings.ts: compareListings,
 * matchesText) applied to the same EPAs in memory — what the visibility listings do.
 */
import type { Pool } from 'pg';
import { usePostgres } from '../support/postgres';
import { addDays, endOfLondonDay, londonDateOf } from '../../src/calendar';
import type { Role } from '../../src/epa/deadlines';
import { migrate, MIGRATIONS } from '../../src/store/migrations';
import type { RowTask } from '../../src/epa/tasks';
import { listingOf, PgListingIndex, rowFromListing, whereClause } from '../../src/store/pg-listing-index';
import { compareListings, matchesText, tasksOfListings, LISTING_ORDERS, type ListingQuery } from '../../src/app/listings';
import { epaLinks, findEpas, opsBoard, boardCsvRows } from '../../src/app/epas';
import { filterKey } from '../../src/temporal/search-attributes';
import type { EpaListing } from '../../src/app/epa-client';
import type { EpaIndexRow } from '../../workflows/definitions';

const database = usePostgres('epa_index');
let pool: Pool;
let index: PgListingIndex;

const NOW = Date.parse('2026-11-23T12:00:00Z');
const today = londonDateOf(NOW);

beforeAll(async () => {
  pool = database();
  await migrate(pool);
  index = new PgListingIndex(pool);
});

/** Invented apprentices, with accents, shared surnames, apostrophes and LIKE's own characters. */
const FIRST = ['Ada', 'Ávila', 'Ben', 'Chloë', 'dev', 'Émile', 'Zoë', 'Ola', "O'Neil", 'Noor', 'Kai', 'Li'];
const LAST = ['Smith', 'Ng', 'Ødegaard', 'Patel', 'de la Cruz', '100%_Real', 'Jones', 'Owusu'];
const STAGES = ['GatewayReview', 'InAssessment', 'AwaitingResults', 'Completed', 'Withdrawn'];
const OWNERS: Role[] = ['epaoAdmin', 'apprentice', 'employer'];
/** Missed deadlines (first, second) with the owner the rules core gives each. */
const MISSED: [string, Role][][] = [
  [
    ['gatewayReviewDue', 'epaoAdmin'],
    ['gatewayFormDue', 'employer'],
  ],
  [
    ['resultDue.observation', 'epaoAdmin'],
    ['reportDue', 'apprentice'],
    ['gatewayFormDue', 'employer'],
  ],
];

function invented(n: number): EpaIndexRow[] {
  let seed = 11;
  const random = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  return Array.from({ length: n }, (_, i) => {
    const stage = pick(STAGES);
    const running = stage !== 'Completed' && stage !== 'Withdrawn';
    const missedCount = running && random() < 0.5 ? 1 + Math.floor(random() * 2) : 0;
    // Each missed deadline with its owner, as rows since issue 29 carry it, or without (older rows: read from the key).
    const missed = Array.from({ length: missedCount }, (_, k) => {
      const [key, owner] = pick(MISSED[k]!);
      return { key, due: addDays(today, -1 - Math.floor(random() * 60)), ...(random() < 0.5 && { owner }) };
    });
    const earliest = [...missed].sort((a, b) => a.due.localeCompare(b.due))[0];
    const next = running && random() < 0.8 ? addDays(today, Math.floor(random() * 40)) : undefined;
    const booked = running && random() < 0.3 ? addDays(today, Math.floor(random() * 20)) : undefined;
    const meeting = running && random() < 0.2 ? addDays(today, Math.floor(random() * 20)) : undefined;
    return {
      epaId: `epa-${2000000000 + i * 7}`,
      uln: String(2000000000 + i * 7),
      apprentice: `${pick(FIRST)} ${pick(LAST)}`,
      standard: pick(['ST0071', 'ST0072']),
      epao: pick(['innovate', 'nqual']),
      employer: pick(['Acme Ltd', 'acme ltd', 'Brew & Co', 'Café Noir']),
      provider: pick(['North Training', 'Southern Skills', 'Ålesund Academy']),
      stage,
      running,
      overdue: missed.length > 0,
      overdueSince: earliest ? new Date(endOfLondonDay(earliest.due)).toISOString() : null,
      mustAct: earliest ? pick(OWNERS) : null,
      nextDeadline: next ? { key: 'reportDue', due: next, dueAt: new Date(endOfLondonDay(next)).toISOString() } : null,
      missed,
      bookings: booked ? [{ component: 'observation', at: `${booked}T10:00` }] : [],
      ...(meeting && { planningMeeting: { at: `${meeting}T15:00` } }),
      startedAt: '2026-06-01T09:00:00.000Z',
    };
  });
}

const listing = listingOf;

/** The reference: what visibility's filters and the in-memory text filters pick. */
function reference(rows: EpaIndexRow[], q: ListingQuery): EpaListing[] {
  return rows
    .filter((r) => {
      if (q.stage !== undefined && r.stage !== q.stage) return false;
      if (q.standard !== undefined && r.standard !== q.standard) return false;
      if (q.epao !== undefined && r.epao !== q.epao) return false;
      if (q.employer !== undefined && filterKey(r.employer) !== filterKey(q.employer)) return false;
      if (q.overdue !== undefined && r.overdue !== q.overdue) return false;
      if (q.running !== undefined && r.running !== q.running) return false;
      const at = r.nextDeadline ? Date.parse(r.nextDeadline.dueAt) : undefined;
      if (q.nextDeadlineFrom !== undefined && !(at !== undefined && at >= Date.parse(q.nextDeadlineFrom))) return false;
      if (q.nextDeadlineTo !== undefined && !(at !== undefined && at <= Date.parse(q.nextDeadlineTo))) return false;
      const booked = [...r.bookings, ...(r.planningMeeting ? [r.planningMeeting] : [])];
      if (q.bookedOn && !booked.some((b) => q.bookedOn!.includes(b.at.slice(0, 10)))) return false;
      return matchesText(listing(r), q);
    })
    .map(listing);
}

describe('a later version always wins', () => {
  const row = invented(1)[0]!;
  test('an older or equal version is refused; a newer one replaces the row', async () => {
    await pool.query('TRUNCATE epa_listing');
    expect(await index.put({ row, version: 100 })).toBe(true);
    expect(await index.put({ row: { ...row, stage: 'Withdrawn' }, version: 99 })).toBe(false);
    expect(await index.put({ row: { ...row, stage: 'Withdrawn' }, version: 100 })).toBe(false);
    expect((await index.all({}, 'apprentice', NOW))[0]!.stage).toBe(row.stage);
    expect(await index.put({ row: { ...row, stage: 'Withdrawn', running: false }, version: 101 })).toBe(true);
    expect((await index.all({}, 'apprentice', NOW))[0]).toMatchObject({ stage: 'Withdrawn', running: false });
  });

  test('the backfill fills gaps, never overwrites what a workflow wrote, and marks closed EPAs ended', async () => {
    await pool.query('TRUNCATE epa_listing');
    const [a, b, c] = invented(40).filter((r) => r.running);
    await index.put({ row: { ...a!, stage: 'AwaitingResults' }, version: Date.now() * 1000 });
    await index.put({ row: c!, version: Date.now() * 1000 });
    const fromVisibility = [a!, b!, { ...c!, running: false }].map((r) => rowFromListing(listing(r)));
    expect(await index.backfill(fromVisibility)).toEqual({ written: 2 }); // b inserted, c marked ended
    const all = new Map((await index.all({}, 'apprentice', NOW)).map((r) => [r.epaId, r]));
    expect(all.get(a!.epaId)!.stage).toBe('AwaitingResults'); // the workflow's own row stands
    expect(all.get(b!.epaId)).toMatchObject({ stage: b!.stage, running: true });
    expect(all.get(c!.epaId)).toMatchObject({ stage: c!.stage, running: false });
    expect(await index.count({ running: true })).toBe(2);
    // Run again: nothing left to do.
    expect(await index.backfill(fromVisibility)).toEqual({ written: 0 });
  });
});

describe('every filter, search, order and page agrees with the reference', () => {
  const rows = invented(3000);
  beforeAll(async () => {
    await pool.query('TRUNCATE epa_listing');
    for (let i = 0; i < rows.length; i += 250)
      await Promise.all(rows.slice(i, i + 250).map((row) => index.put({ row, version: 1 + i })));
    expect(await index.size()).toBe(3000);
  });

  const from = new Date(NOW).toISOString();
  const to = new Date(endOfLondonDay(addDays(today, 14))).toISOString();
  const queries: [string, ListingQuery][] = [
    ['everything', {}],
    ['the board', { overdue: true, running: true }],
    ['the board, employer must act', { overdue: true, running: true, owner: 'employer' }],
    ['the board, the apprentice must act (on any missed deadline)', { overdue: true, running: true, owner: 'apprentice' }],
    ['the board, ST0072', { overdue: true, running: true, standard: 'ST0072' }],
    ['a stage', { stage: 'InAssessment' }],
    ['EPAO and standard', { epao: 'nqual', standard: 'ST0071' }],
    ['employer, any case', { employer: 'ACME LTD' }],
    ['name, accents ignored', { text: 'emile' }],
    ['name, part of a surname', { text: 'de la' }],
    ["name with LIKE's characters", { text: '100%_r' }],
    ['an apostrophe', { text: "o'neil" }],
    ['ULN digits with a space', { text: '2000 0000' }],
    ['provider, part', { provider: 'ales' }],
    ['next deadline within 10 days', { nextDueBy: addDays(today, 10) }],
    ['the next 14 days', { running: true, nextDeadlineFrom: from, nextDeadlineTo: to }],
    ['booked in the next days', { running: true, bookedOn: [addDays(today, 3), addDays(today, 4), addDays(today, 5)] }],
    ['nothing matches', { text: 'no such name' }],
  ];

  test.each(queries)('%s: total, count and every order', async (_name, q) => {
    const expected = reference(rows, q);
    expect(await index.count(q)).toBe(expected.length);
    for (const order of LISTING_ORDERS)
      for (const direction of ['asc', 'desc'] as const) {
        const sorted = [...expected].sort(compareListings(order, direction));
        expect((await index.all(q, order, NOW, direction)).map((r) => r.uln)).toEqual(sorted.map((r) => r.uln));
        for (const page of [1, 2, Math.max(1, Math.ceil(sorted.length / 50))]) {
          const found = await index.page(q, order, page, 50, NOW, direction);
          expect(found.total).toBe(expected.length);
          expect(found.rows.map((r) => r.uln)).toEqual(sorted.slice((page - 1) * 50, page * 50).map((r) => r.uln));
        }
      }
  });

  test('the rows come back as the workflow wrote them', async () => {
    const some = rows.slice(0, 50);
    const all = new Map((await index.all({}, 'apprentice', NOW)).map((r) => [r.epaId, r]));
    for (const r of some) expect(all.get(r.epaId)).toEqual(listing(r));
  });

  test('stage counts', async () => {
    const expected: Record<string, number> = {};
    for (const r of rows) expected[r.stage] = (expected[r.stage] ?? 0) + 1;
    expect(await index.stageCounts()).toEqual(expected);
  });

  test('the finder, the board and its CSV read it through the same application functions', async () => {
    const found = await findEpas(index, { q: 'smith', sort: 'next', page: '2' }, NOW);
    const smiths = reference(rows, { text: 'smith' }).sort(compareListings('next'));
    expect(found.total).toBe(smiths.length);
    expect(found.rows.map((r) => r.uln)).toEqual(smiths.slice(50, 100).map((r) => r.uln));

    const board = await opsBoard(
      index,
      NOW,
      epaLinks('http://epa-flow.example', (id) => `t/${id}`),
      { owner: 'employer', page: '1' },
    );
    const owed = reference(rows, { overdue: true, running: true, owner: 'employer' }).sort(compareListings('overdueSince'));
    expect(board.total).toBe(owed.length);
    expect(board.overdue.map((r) => r.uln)).toEqual(owed.slice(0, 50).map((r) => r.uln));
    expect(board.overdue[0]!.daysOverdue).toBeGreaterThanOrEqual(board.overdue[board.overdue.length - 1]!.daysOverdue);
    const csv = await boardCsvRows(
      index,
      NOW,
      epaLinks('http://epa-flow.example', (id) => `t/${id}`),
      { owner: 'employer' },
    );
    expect(csv.map((r) => r.uln)).toEqual(owed.map((r) => r.uln));

    await expect(findEpas(index, { stage: 'Nowhere' }, NOW)).rejects.toThrow(/unknown stage "Nowhere"/);
  });
});

describe('migration 6: who must act on every missed deadline', () => {
  test('rows written before it get everyone who owes a missed deadline, from the keys; a row without the column is filtered as before', async () => {
    // A schema of its own, migrated to 5 (the index as 1.x wrote it), with a row an old writer put in.
    const client = await pool.connect();
    try {
      await client.query('DROP SCHEMA IF EXISTS before6 CASCADE; CREATE SCHEMA before6; SET search_path TO before6');
      for (const m of MIGRATIONS.filter((m) => m.version <= 5)) await client.query(m.sql);
      const old: EpaIndexRow = {
        ...invented(1)[0]!,
        running: true,
        overdue: true,
        mustAct: 'epaoAdmin',
        missed: [
          { key: 'resultDue.observation', due: addDays(today, -20) },
          { key: 'reportDue', due: addDays(today, -10) },
        ],
      };
      await client.query(
        `INSERT INTO epa_listing (epa_id, uln, apprentice_key, standard, standard_key, epao, employer_key, employer_sort,
           provider_key, stage, stage_key, running, overdue, must_act, booking_days, row, started_at, version, updated_at)
         VALUES ($1, $2, 'x', 'ST0071', 'st0071', 'innovate', 'x', 'x', 'x', 'InAssessment', 'inassessment', true, true,
           'epaoAdmin', '{}', $3, now(), 1, now())`,
        [old.epaId, old.uln, JSON.stringify(old)],
      );
      await client.query(MIGRATIONS.find((m) => m.version === 6)!.sql);
      const { rows } = await client.query<{ must_act_any: string[] }>('SELECT must_act_any FROM epa_listing');
      expect(rows.map((r) => [...r.must_act_any].sort())).toEqual([['apprentice', 'epaoAdmin']]);
      // A row an older writer inserts after the migration has no owners: found by the most urgent one's, as before.
      await client.query(
        `INSERT INTO epa_listing (epa_id, uln, apprentice_key, standard, standard_key, epao, employer_key, employer_sort,
           provider_key, stage, stage_key, running, overdue, must_act, booking_days, row, started_at, version, updated_at)
         SELECT 'epa-older', '0000000001', apprentice_key, standard, standard_key, epao, employer_key, employer_sort,
           provider_key, stage, stage_key, running, overdue, 'employer', booking_days, row, started_at, version, updated_at
         FROM epa_listing`,
      );
      const values: unknown[] = [];
      const owned = async (owner: Role) => {
        values.length = 0;
        const where = whereClause({ owner }, values);
        return (
          await client.query<{ epa_id: string }>(`SELECT epa_id FROM epa_listing ${where} ORDER BY epa_id`, values)
        ).rows.map((r) => r.epa_id);
      };
      expect(await owned('apprentice')).toEqual([old.epaId]);
      expect(await owned('epaoAdmin')).toEqual([old.epaId]);
      expect(await owned('employer')).toEqual(['epa-older']);
    } finally {
      await client.query('SET search_path TO public; DROP SCHEMA IF EXISTS before6 CASCADE').catch(() => undefined);
      client.release();
    }
  });
});

describe('the To handle list: case owners and open tasks (migration 7)', () => {
  const OWNERS_OF = [{ username: 'amira', name: 'Amira Sollen' }, { username: 'olu', name: 'Olu Ferris' }, null];
  const rows: EpaIndexRow[] = invented(400).map((r, i) => {
    const tasks: RowTask[] = Array.from({ length: i % 4 }, (_, k) => ({
      key:
        k === 0
          ? `deadline:resultDue.observation:${addDays(today, (i % 30) - 15)}`
          : `failed:deadlineReminder:reportDue:${i}-${k}:employer`,
      kind: k === 0 ? 'deadline' : 'failedMessage',
      due: addDays(today, ((i * 7 + k * 3) % 40) - 20),
      ...(k === 0
        ? { deadline: 'resultDue.observation', component: 'observation' }
        : { message: { key: `m${k}`, kind: 'deadlineReminder', role: 'employer' } }),
    }));
    return { ...r, caseOwner: OWNERS_OF[i % 3]!, tasks: [...tasks].sort((a, b) => a.due.localeCompare(b.due)) };
  });
  beforeAll(async () => {
    await pool.query('TRUNCATE epa_listing');
    await Promise.all(rows.map((row) => index.put({ row, version: 5 })));
  });

  test.each([
    ['everyone', {}],
    ['one owner', { owner: 'amira' }],
    ['no owner yet', { owner: null }],
    ['an owner with none', { owner: 'nobody' }],
  ] as const)('%s: the same tasks, in the same order, with the same total, as the reference', async (_name, q) => {
    const expected = tasksOfListings(rows.map(listingOf), q, 50);
    const found = await index.tasks(q, 50);
    expect(found.total).toBe(expected.total);
    expect(found.rows).toEqual(expected.rows);
    expect(found.rows.every((r) => r.task.due >= found.rows[0]!.task.due)).toBe(true);
  });

  test('a row written before migrations 6 and 7 still reads, with no owner and no tasks, until its EPA writes again', async () => {
    await pool.query('DROP TABLE epa_listing; DELETE FROM epa_schema_version WHERE version = 2 OR version >= 6');
    await migrate(
      pool,
      MIGRATIONS.filter((m) => m.version <= 5),
    );
    const old = invented(1)[0]!;
    // As version 1.x wrote it: the columns of migration 2, the row without caseOwner or tasks.
    await pool.query(
      `INSERT INTO epa_listing (epa_id, uln, apprentice_key, standard, standard_key, epao, employer_key, employer_sort, provider_key,
         stage, stage_key, running, overdue, overdue_since, earliest_missed, must_act, next_deadline_at, next_deadline_due,
         booking_days, row, started_at, version, updated_at)
       VALUES ($1, $2, 'a', $3, 's', $4, 'e', 'e', 'p', $5, 's', true, false, NULL, NULL, NULL, NULL, NULL, '{}', $6, now(), 1, now())`,
      [
        old.epaId,
        old.uln,
        old.standard,
        old.epao,
        'InAssessment',
        JSON.stringify({ ...old, stage: 'InAssessment', running: true }),
      ],
    );
    expect((await migrate(pool)).applied.map((m) => m.version)).toEqual([6, 7]);
    const [read] = await index.all({}, 'apprentice', NOW);
    expect(read).toEqual(listingOf({ ...old, stage: 'InAssessment', running: true }));
    expect(read!.caseOwner).toBeUndefined();
    expect(await index.tasks({}, 50)).toEqual({ rows: [], total: 0 });
    // Its EPA writes its row again: owner and tasks read.
    await index.put({ row: { ...old, running: true, caseOwner: OWNERS_OF[0]!, tasks: rows[1]!.tasks }, version: 2 });
    expect((await index.tasks({ owner: 'amira' }, 50)).total).toBe(1);
  });
});
