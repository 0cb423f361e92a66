/**
 * Paging in date order by counting (src/app/day-order.ts), against an in-memory visibility store
 * that answers `count` and `list` for the filters the pager uses: every page equals the same slice
 * of a full sort, with ties on a day, EPAs without the attribute last, and far fewer rows read.
 */
import { addDays, endOfLondonDay, londonDateOf } from '../../src/calendar';
import { forgetCounts, pageInDayOrder } from '../../src/app/day-order';
import { findEpas } from '../../src/app/epas';
import { VisibilityListings } from '../../src/app/listings';
import type { EpaFilter, EpaListing } from '../../src/app/epa-client';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const today = londonDateOf(NOW);

function rows(n: number): EpaListing[] {
  let seed = 7;
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  return Array.from({ length: n }, (_, i) => {
    const missed = random() < 0.05 ? [] : [{ key: 'gatewayReviewDue', due: addDays(today, -1 - Math.floor(random() * 400)) }];
    return {
      epaId: `epa-${1000000000 + i}`,
      uln: String(1000000000 + i),
      apprentice: `A${i}`,
      standard: 'ST0071',
      epao: 'innovate',
      employer: 'E',
      provider: 'P',
      bookings: [],
      stage: 'GatewayReview',
      overdue: true,
      running: true,
      nextDeadline: null,
      missed,
      startedAt: '2026-01-01T00:00:00Z',
    };
  });
}

/** What SQL visibility answers for the pager's filters (the attribute: end of the missed day in London). */
function store(all: EpaListing[]) {
  let read = 0;
  const since = (r: EpaListing): number | undefined => (r.missed[0] ? endOfLondonDay(r.missed[0].due) : undefined);
  const next = (r: EpaListing): number | undefined => (r.nextDeadline ? endOfLondonDay(r.nextDeadline.due) : undefined);
  const matches = (r: EpaListing, f: EpaFilter): boolean => {
    if (f.nextDeadlineBefore === null) return next(r) === undefined;
    if (f.nextDeadlineBefore !== undefined && !((next(r) ?? Infinity) < Date.parse(f.nextDeadlineBefore))) return false;
    if (f.nextDeadlineFrom !== undefined && !((next(r) ?? -Infinity) >= Date.parse(f.nextDeadlineFrom))) return false;
    if (f.nextDeadlineBefore !== undefined || f.nextDeadlineFrom !== undefined) return true;
    const s = since(r);
    if (f.overdueSinceBefore === null) return s === undefined;
    if (f.overdueSinceBefore !== undefined && !(s !== undefined && s < Date.parse(f.overdueSinceBefore))) return false;
    if (f.overdueSinceFrom !== undefined && !(s !== undefined && s >= Date.parse(f.overdueSinceFrom))) return false;
    return true;
  };
  return {
    reader: {
      status: () => Promise.reject(new Error('not in this store')),
      count: (f: EpaFilter) => Promise.resolve(all.filter((r) => matches(r, f)).length),
      list: (f: EpaFilter) => {
        const found = all.filter((r) => matches(r, f));
        read += found.length;
        return Promise.resolve(found);
      },
    },
    read: () => read,
  };
}

test('every page of 3,000 EPAs equals the same slice of a full sort: ties by ULN, EPAs without the attribute last', async () => {
  const all = rows(3000);
  const expected = [...all].sort(
    (a, b) => (a.missed[0]?.due ?? '\uffff').localeCompare(b.missed[0]?.due ?? '\uffff') || a.uln.localeCompare(b.uln),
  );
  const { reader, read } = store(all);
  for (const page of [1, 2, 17, 30, 57, 60, 61]) {
    forgetCounts();
    const got = await pageInDayOrder(reader, {}, 'overdueSince', page, 50, NOW);
    expect(got.total).toBe(3000);
    expect(got.rows.map((r) => r.uln)).toEqual(expected.slice((page - 1) * 50, page * 50).map((r) => r.uln));
  }
  // Only the rows between a page's bounds are read, not all 3,000 per page.
  expect(read()).toBeLessThan(7 * 600);
});

test('counts made within 15 s are reused: the second look at a page makes only its two totals and one list', async () => {
  const { reader } = store(rows(2000));
  forgetCounts();
  const first = await pageInDayOrder(reader, {}, 'overdueSince', 3, 50, NOW);
  const again = await pageInDayOrder(reader, {}, 'overdueSince', 3, 50, NOW);
  expect(again.rows).toEqual(first.rows);
  expect(first.calls).toBeGreaterThan(10);
  expect(again.calls).toBe(3);
});

test('up to 1,000 matching EPAs are read in one call and sorted here', async () => {
  const { reader } = store(rows(800));
  const got = await pageInDayOrder(reader, {}, 'overdueSince', 2, 50, NOW);
  expect(got.calls).toBe(3);
  expect(got.rows).toHaveLength(50);
});

test('the finder sorted by next deadline pages on the server: the same rows as a full sort, far fewer read', async () => {
  const all = rows(2500).map((r, i) => ({
    ...r,
    nextDeadline: i % 10 === 0 ? null : { key: 'reportDue', due: addDays(today, (i * 37) % 300) },
  }));
  const expected = [...all].sort(
    (a, b) => (a.nextDeadline?.due ?? '9999').localeCompare(b.nextDeadline?.due ?? '9999') || a.uln.localeCompare(b.uln),
  );
  const { reader, read } = store(all);
  for (const page of [1, 20, 50]) {
    forgetCounts();
    const found = await findEpas(new VisibilityListings(reader), { sort: 'next', page: String(page) }, NOW);
    expect(found.total).toBe(2500);
    expect(found.pages).toBe(50);
    expect(found.rows.map((r) => r.uln)).toEqual(expected.slice((page - 1) * 50, page * 50).map((r) => r.uln));
  }
  expect(read()).toBeLessThan(3 * 400);
});
