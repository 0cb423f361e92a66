/** The ops board: overdue EPAs, counts per stage, the next 14 days; and its CSV export. */
import type { FastifyInstance } from 'fastify';
import { londonDateOf } from '../../calendar';
import { overdueBoard, overdueCsv, stageCounts, upcoming, type EpaReader } from '../../app/epas';
import { dashboardView } from '../dashboard-view';
import { requireStaff } from '../middleware/session';
import { render, type PageContext } from '../render';

export function dashboardRoutes(
  app: FastifyInstance,
  ctx: PageContext,
  epa: EpaReader,
  temporalUrl: (epaId: string) => string,
  now: () => number,
): void {
  app.get('/dashboard', { preHandler: requireStaff() }, async (req, reply) => {
    const [overdue, counts, soon] = await Promise.all([
      overdueBoard(epa, now(), temporalUrl),
      stageCounts(epa),
      upcoming(epa, now()),
    ]);
    return render(
      req,
      reply,
      ctx,
      'pages/dashboard.njk',
      dashboardView({ overdue, counts, upcoming: soon, today: londonDateOf(now()), temporalUrl }),
    );
  });
  app.get('/dashboard/overdue.csv', { preHandler: requireStaff() }, async (_req, reply) =>
    reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="overdue-epas.csv"')
      .send(overdueCsv(await overdueBoard(epa, now(), temporalUrl))),
  );
}
