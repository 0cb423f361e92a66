/** The ops dashboard, rendered on the server: overdue EPAs, counts per stage, the next 14 days. */
import type { EpaListing } from '../temporal/epa-client';
import type { OverdueRow } from './server';

const esc = (s: unknown): string =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `
body{font-family:system-ui,sans-serif;margin:2rem;color:#1b1b1b}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.35rem .6rem;border-bottom:1px solid #ddd}
th{background:#f3f3f3}.overdue td.days{color:#a00;font-weight:600}
.counts{display:flex;gap:1rem;flex-wrap:wrap;list-style:none;padding:0}.counts li{border:1px solid #ccc;border-radius:6px;padding:.5rem .8rem}
.empty{color:#666}header{display:flex;justify-content:space-between;align-items:baseline}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

export function renderLogin(failed: boolean): string {
  return page(
    'epa-flow: sign in',
    `<h1>epa-flow ops dashboard</h1>${failed ? '<p role="alert">That token was not recognised.</p>' : ''}
<form method="post" action="/login"><label>API token <input type="password" name="token" autocomplete="current-password" required></label> <button type="submit">Sign in</button></form>`,
  );
}

export interface DashboardData {
  overdue: OverdueRow[];
  counts: Record<string, number>;
  upcoming: EpaListing[];
  today: string;
  temporalUrl: (epaId: string) => string;
}

export function renderDashboard(d: DashboardData): string {
  const overdueRows = d.overdue
    .map(
      (
        r,
      ) => `<tr data-uln="${esc(r.uln)}"><td>${esc(r.apprentice)}<br><small>${esc(r.uln)}</small></td><td>${esc(r.standard)}</td><td>${esc(r.employer)}</td><td>${esc(r.stage)}</td>
<td>${esc(r.missedDeadline)}</td><td>${esc(r.missedDue)}</td><td class="days">${esc(r.daysOverdue)}</td><td><a href="${esc(r.temporalUrl)}">workflow</a></td></tr>`,
    )
    .join('');
  const upcomingRows = d.upcoming
    .map(
      (r) =>
        `<tr><td>${esc(r.apprentice)}<br><small>${esc(r.uln)}</small></td><td>${esc(r.standard)}</td><td>${esc(r.employer)}</td><td>${esc(r.stage)}</td><td>${esc(r.nextDeadline?.key)}</td><td>${esc(r.nextDeadline?.due)}</td><td><a href="${esc(d.temporalUrl(r.epaId))}">workflow</a></td></tr>`,
    )
    .join('');
  const counts = Object.entries(d.counts)
    .map(([stage, n]) => `<li><strong>${esc(n)}</strong> ${esc(stage)}</li>`)
    .join('');
  return page(
    'epa-flow: overdue EPAs',
    `<header><h1>EPA overview, ${esc(d.today)}</h1><form method="post" action="/logout"><button>Sign out</button></form></header>
<h2>EPAs by stage</h2>${counts ? `<ul class="counts" id="stage-counts">${counts}</ul>` : '<p class="empty">No EPAs yet.</p>'}
<h2 id="overdue-heading">Overdue (${d.overdue.length})</h2>
<p><a id="csv-export" href="/dashboard/overdue.csv" download>Export overdue EPAs as CSV</a></p>
${
  d.overdue.length
    ? `<table class="overdue" aria-labelledby="overdue-heading"><thead><tr><th>Apprentice</th><th>Standard</th><th>Employer</th><th>Stage</th><th>Missed deadline</th><th>Due</th><th>Days overdue</th><th>Temporal</th></tr></thead><tbody>${overdueRows}</tbody></table>`
    : '<p class="empty">Nothing is overdue.</p>'
}
<h2 id="upcoming-heading">Deadlines in the next 14 days (${d.upcoming.length})</h2>
${
  d.upcoming.length
    ? `<table aria-labelledby="upcoming-heading"><thead><tr><th>Apprentice</th><th>Standard</th><th>Employer</th><th>Stage</th><th>Next deadline</th><th>Due</th><th>Temporal</th></tr></thead><tbody>${upcomingRows}</tbody></table>`
    : '<p class="empty">No deadlines in the next 14 days.</p>'
}`,
  );
}
