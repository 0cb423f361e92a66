/** The ops board: overdue EPAs with who must act and the next action, filtered and paged; the next 14 days; its CSV export. */
import type { FastifyInstance } from 'fastify';
import { londonDateOf } from '../../calendar';
import { boardCsvRows, opsBoard, overdueCsv, type BoardQuery, type EpaLinks } from '../../app/epas';
import type { EpaListings } from '../../app/listings';
import { dashboardView, ownerChoice } from '../dashboard-view';
import { requireStaff } from '../middleware/session';
import { render, type PageContext } from '../render';
import { selectedFilters } from '../filter-view';

export function dashboardRoutes(
  app: FastifyInstance,
  ctx: PageContext,
  listings: EpaListings,
  links: EpaLinks,
  now: () => number,
): void {
  app.get('/dashboard', { preHandler: requireStaff() }, async (req, reply) => {
    const board = await opsBoard(listings, now(), links, req.query as BoardQuery);
    const params = (extra: Record<string, string>) =>
      '?' + new URLSearchParams(Object.entries({ ...board.query, ...extra }).filter(([, v]) => v !== '')).toString();
    return render(req, reply, ctx, 'pages/dashboard.njk', {
      ...dashboardView({
        overdue: board.overdue,
        counts: board.counts,
        upcoming: board.upcoming,
        today: londonDateOf(now()),
      }),
      board,
      csvHref: `/dashboard/overdue.csv${params({})}`,
      previous: board.page > 1 ? params({ page: String(board.page - 1) }) : undefined,
      next: board.page < board.pages ? params({ page: String(board.page + 1) }) : undefined,
      selectedFilters: selectedFilters('/dashboard', board.query, [
        { name: 'owner', heading: 'Who must act', text: ownerChoice },
        { name: 'standard', heading: 'Standard' },
      ]),
      selects: [
        { id: 'owner', label: 'Who must act', values: board.choices.owners, value: board.query.owner, text: ownerChoice },
        {
          id: 'standard',
          label: 'Standard',
          values: board.choices.standards,
          value: board.query.standard,
          text: (v: string) => v,
        },
      ].map((s) => ({
        id: s.id,
        label: s.label,
        items: [{ value: '', text: 'Any' }, ...s.values.map((v) => ({ value: v, text: s.text(v), selected: v === s.value }))],
      })),
    });
  });
  // The filtered set, every page of it.
  app.get('/dashboard/overdue.csv', { preHandler: requireStaff() }, async (req, reply) =>
    reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="overdue-epas.csv"')
      .send(overdueCsv(await boardCsvRows(listings, now(), links, req.query as BoardQuery))),
  );
}
