/**
 * The lists' reference order and text search (src/app/listings.ts), which both listing sources
 * follow (the PostgreSQL index is checked against it in tests/cluster/listing-index.test.ts), and the
 * MoJ filter's selected-filter tags (src/web/filter-view.ts).
 */
import { compareListings, matchesText, sortKey, VisibilityListings } from '../../src/app/listings';
import type { EpaListing } from '../../src/app/epa-client';
import { selectedFilters } from '../../src/web/filter-view';

const row = (uln: string, apprentice: string, extra: Partial<EpaListing> = {}): EpaListing => ({
  epaId: `epa-${uln}`,
  uln,
  apprentice,
  standard: 'ST0071',
  epao: 'innovate',
  employer: 'Acme Ltd',
  provider: 'North Training',
  bookings: [],
  stage: 'InAssessment',
  overdue: false,
  running: true,
  nextDeadline: null,
  missed: [],
  startedAt: '2026-01-01T00:00:00Z',
  ...extra,
});

test('names sort by their key: accents dropped and case ignored, then ULN; descending reverses both', () => {
  const rows = [row('3', 'Émile Zola'), row('1', 'ada Lovelace'), row('2', 'Ada lovelace'), row('4', 'Zoë Ng')];
  expect(rows.sort(compareListings('apprentice')).map((r) => r.uln)).toEqual(['1', '2', '3', '4']);
  expect(rows.sort(compareListings('apprentice', 'desc')).map((r) => r.uln)).toEqual(['4', '3', '2', '1']);
  expect(sortKey('  Chloë   Ødegaard ')).toBe('chloe ødegaard');
});

test('EPAs without the date sort last in either direction (no next deadline, nothing missed)', () => {
  const rows = [
    row('1', 'A', { nextDeadline: { key: 'reportDue', due: '2027-01-10' } }),
    row('2', 'B'),
    row('3', 'C', { nextDeadline: { key: 'reportDue', due: '2027-01-05' } }),
  ];
  expect(rows.sort(compareListings('next')).map((r) => r.uln)).toEqual(['3', '1', '2']);
  expect(rows.sort(compareListings('next', 'desc')).map((r) => r.uln)).toEqual(['1', '3', '2']);
  const overdue = [
    row('1', 'Zed', { missed: [{ key: 'reportDue', due: '2026-11-01' }] }),
    row('2', 'Abe', {
      missed: [
        { key: 'resitDeadline', due: '2026-11-20' },
        { key: 'reportDue', due: '2026-11-01' },
      ],
    }),
    row('3', 'Cy'),
  ];
  // Most overdue first (the earliest missed date), then by name.
  expect(overdue.sort(compareListings('overdueSince')).map((r) => r.uln)).toEqual(['2', '1', '3']);
});

test('search: any part of the name (accents and case ignored) or of the ULN, the provider, the next deadline by a date', () => {
  const r = row('1234567890', 'Chloë Ødegaard', {
    provider: 'Ålesund Academy',
    nextDeadline: { key: 'reportDue', due: '2027-01-10' },
  });
  expect(matchesText(r, { text: 'CHLOE' })).toBe(true);
  expect(matchesText(r, { text: 'ødeg' })).toBe(true);
  expect(matchesText(r, { text: '456 78' })).toBe(true);
  expect(matchesText(r, { text: 'smith' })).toBe(false);
  expect(matchesText(r, { provider: 'alesund' })).toBe(true);
  expect(matchesText(r, { provider: 'north' })).toBe(false);
  expect(matchesText(r, { nextDueBy: '2027-01-10' })).toBe(true);
  expect(matchesText(r, { nextDueBy: '2027-01-09' })).toBe(false);
  expect(matchesText({ ...r, running: false }, { nextDueBy: '2027-01-10' })).toBe(false);
});

test('selected filters: a tag per filter in use, each linking to the list without it; clear keeps the sort', () => {
  expect(selectedFilters('/epas', { q: '', stage: '' }, [{ name: 'q', heading: 'Name or ULN' }])).toBeUndefined();
  const view = selectedFilters(
    '/epas',
    { q: 'okafor', stage: 'InAssessment', overdue: 'yes' },
    [
      { name: 'q', heading: 'Name or ULN' },
      { name: 'stage', heading: 'Stage' },
      { name: 'overdue', heading: 'Overdue', text: () => 'Only overdue EPAs' },
    ],
    { sort: 'next' },
  ) as { clearLink: { href: string }; categories: { heading: { text: string }; items: { href: string; text: string }[] }[] };
  expect(view.clearLink.href).toBe('/epas?sort=next');
  expect(view.categories.map((c) => [c.heading.text, c.items[0]!.text, c.items[0]!.href])).toEqual([
    ['Name or ULN', 'okafor', '/epas?sort=next&stage=InAssessment&overdue=yes'],
    ['Stage', 'InAssessment', '/epas?sort=next&q=okafor&overdue=yes'],
    ['Overdue', 'Only overdue EPAs', '/epas?sort=next&q=okafor&stage=InAssessment'],
  ]);
});

test('the visibility listings read every match: no cap at the client’s default 10,000 rows', async () => {
  const all = Array.from({ length: 12_000 }, (_, i) => row(String(1_000_000_000 + i), `Name ${i}`, { overdue: true }));
  const reader = {
    list: async (_f: unknown, limit = 10_000) => all.slice(0, limit),
    count: async () => all.length,
  };
  const listings = new VisibilityListings(reader);
  expect(await listings.all({ overdue: true }, 'apprentice', 0)).toHaveLength(12_000);
  expect((await listings.page({ text: 'name 11999' }, 'apprentice', 1, 50, 0)).rows.map((r) => r.uln)).toEqual(['1000011999']);
});
