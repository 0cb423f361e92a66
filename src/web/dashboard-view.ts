/**
 * The ops board's view model: what src/web/views/pages/dashboard.njk shows (overdue EPAs, counts
 * per stage, the next 14 days). No markup here: the page is a nunjucks view built from GOV.UK
 * Frontend macros.
 */
import type { OverdueRow, UpcomingItem } from '../app/epas';

export interface DashboardData {
  overdue: OverdueRow[];
  counts: Record<string, number>;
  upcoming: UpcomingItem[];
  today: string;
}

export function dashboardView(d: DashboardData) {
  return {
    today: d.today,
    counts: d.counts,
    overdue: d.overdue,
    upcoming: d.upcoming.map((u) => ({
      apprentice: u.epa.apprentice,
      uln: u.epa.uln,
      standard: u.epa.standard,
      employer: u.epa.employer,
      stage: u.epa.stage,
      what: u.what,
      when: u.when,
    })),
  };
}
