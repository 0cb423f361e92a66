/**
 * The ops dashboard's view models: what src/web/views/pages/dashboard.njk and login.njk show
 * (overdue EPAs, counts per stage, the next 14 days). No markup here: the pages are nunjucks views
 * built from GOV.UK Frontend macros.
 */
import type { EpaListing } from '../temporal/epa-client';
import type { OverdueRow } from '../app/epas';

export interface DashboardData {
  overdue: OverdueRow[];
  counts: Record<string, number>;
  upcoming: EpaListing[];
  today: string;
  temporalUrl: (epaId: string) => string;
}

export function dashboardView(d: DashboardData) {
  return {
    today: d.today,
    counts: d.counts,
    overdue: d.overdue,
    upcoming: d.upcoming.map((r) => ({
      apprentice: r.apprentice,
      uln: r.uln,
      standard: r.standard,
      employer: r.employer,
      stage: r.stage,
      nextKey: r.nextDeadline?.key ?? '',
      nextDue: r.nextDeadline?.due ?? '',
      temporalUrl: d.temporalUrl(r.epaId),
    })),
  };
}
