/**
 * The ops board's view model: what src/web/views/pages/dashboard.njk shows (overdue EPAs, counts
 * per stage, the next 14 days), every name in words. No markup here: the page is a nunjucks view
 * built from GOV.UK Frontend macros.
 */
import { listingNames, stageWords, type OverdueRow, type UpcomingItem } from '../app/epas';
import { dateInWords, upperFirst } from '../epa/display-names';

export interface DashboardData {
  overdue: OverdueRow[];
  counts: Record<string, number>;
  upcoming: UpcomingItem[];
  today: string;
}

export function dashboardView(d: DashboardData) {
  return {
    today: dateInWords(d.today),
    // Each stage by its name, linking to the finder filtered by it.
    counts: Object.entries(d.counts).map(([stage, n]) => ({ stage, name: stageWords(stage), n })),
    overdue: d.overdue,
    upcoming: d.upcoming.map((u) => ({
      apprentice: u.epa.apprentice,
      uln: u.epa.uln,
      standard: u.epa.standard,
      employer: u.epa.employer,
      stage: listingNames(u.epa).stageName,
      what: u.what,
      when: u.when,
      at: u.at,
    })),
  };
}

/** A "who must act" choice as the filter offers it ("Training provider"); its value stays the board's word ("training provider"). */
export const ownerChoice = (words: string): string => upperFirst(words);
