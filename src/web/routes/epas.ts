/** The apprentice finder (/epas) and one apprentice's EPA (/epas/{uln}), for signed-in staff. */
import type { FastifyInstance } from 'fastify';
import { londonDateOf } from '../../calendar';
import { epaMessage, epaPage, findEpas, type EpaReader, type FindQuery, type FoundEpas } from '../../app/epas';
import type { SentCopies } from '../../../activities/sent-record';
import type { EpaListings } from '../../app/listings';
import { requireStaff } from '../middleware/session';
import { render, type PageContext } from '../render';
import { selectedFilters, type FilterField } from '../filter-view';

/** The finder's columns, each sortable on the server. */
const SORT_NAMES: Record<string, string> = {
  apprentice: 'Apprentice',
  standard: 'Standard',
  employer: 'Employer',
  stage: 'Stage',
  next: 'Next deadline',
};

const FINDER_FILTERS: FilterField[] = [
  { name: 'q', heading: 'Name or ULN' },
  { name: 'employer', heading: 'Employer' },
  { name: 'provider', heading: 'Training provider' },
  { name: 'due', heading: 'Next deadline within', text: (v) => `${v} day${v === '1' ? '' : 's'}` },
  { name: 'stage', heading: 'Stage' },
  { name: 'standard', heading: 'Standard' },
  { name: 'epao', heading: 'EPAO' },
  { name: 'overdue', heading: 'Overdue', text: () => 'Only overdue EPAs' },
];

/** A filter whose values are choices (stage, standard, EPAO): its tag shows the choice's words. */
function withChoiceText(field: FilterField, choices: FoundEpas['choices']): FilterField {
  const list = { stage: choices.stages, standard: choices.standards, epao: choices.epaos }[field.name];
  return list ? { ...field, text: (v) => list.find((c) => c.value === v)?.text ?? v } : field;
}

export function epaRoutes(
  app: FastifyInstance,
  ctx: PageContext,
  epa: EpaReader,
  listings: EpaListings,
  temporalUrl: (epaId: string) => string,
  now: () => number,
  copies: SentCopies,
): void {
  app.get('/epas', { preHandler: requireStaff() }, async (req, reply) => {
    const found = await findEpas(listings, req.query as FindQuery, now());
    const params = (page: number, sort: string = found.sort, dir: string = found.query.dir) =>
      '?' +
      new URLSearchParams(
        Object.entries({ ...found.query, sort, dir: dir === 'desc' ? 'desc' : '', page: page > 1 ? String(page) : '' }).filter(
          ([, v]) => v !== '' && v !== undefined,
        ),
      ).toString();
    const { sort: _s, dir: _d, ...filters } = found.query;
    return render(req, reply, ctx, 'pages/epas.njk', {
      found,
      firstShown: found.total === 0 ? 0 : (found.page - 1) * found.pageSize + 1,
      lastShown: Math.min(found.page * found.pageSize, found.total),
      previous: found.page > 1 ? params(found.page - 1) : undefined,
      next: found.page < found.pages ? params(found.page + 1) : undefined,
      selects: (
        [
          ['stage', 'Stage', found.choices.stages],
          ['standard', 'Standard', found.choices.standards],
          ['epao', 'EPAO', found.choices.epaos],
        ] as const
      ).map(([id, label, values]) => ({
        id,
        label,
        items: [{ value: '', text: 'Any' }, ...values.map((v) => ({ ...v, selected: v.value === found.query[id] }))],
      })),
      // A stage, standard or EPAO filter's tag reads as its choice does.
      selectedFilters: selectedFilters(
        '/epas',
        filters,
        FINDER_FILTERS.map((f) => withChoiceText(f, found.choices)),
        {
          sort: found.sort === 'apprentice' ? '' : found.sort,
          dir: found.query.dir === 'desc' ? 'desc' : '',
        },
      ),
      sortNames: SORT_NAMES,
      // A heading links to the list sorted by its column; the sorted column's heading reverses it.
      sortColumns: Object.entries(SORT_NAMES).map(([sort, text]) => {
        const current = found.sort === sort;
        const dir = current && found.query.dir !== 'desc' ? 'desc' : 'asc';
        return {
          text,
          href: params(1, sort, dir),
          ariaSort: current ? (found.query.dir === 'desc' ? 'descending' : 'ascending') : 'none',
        };
      }),
    });
  });

  app.get('/epas/:uln/message', { preHandler: requireStaff() }, async (req, reply) => {
    const { uln } = req.params as { uln: string };
    const { key, role } = req.query as { key?: string; role?: string };
    const message = await epaMessage(epa, copies, uln, typeof key === 'string' ? key : '', typeof role === 'string' ? role : '');
    return render(req, reply, ctx, 'pages/message.njk', { message, canRecord: req.session.user?.role === 'admin' });
  });

  app.get('/epas/:uln', { preHandler: requireStaff() }, async (req, reply) => {
    const { uln } = req.params as { uln: string };
    const status = await epaPage(epa, uln, {
      canRecord: req.session.user?.role === 'admin',
      today: londonDateOf(now()),
      copies,
    });
    const flash = req.session.flash;
    if (flash) req.session.flash = undefined;
    return render(req, reply, ctx, 'pages/epa.njk', {
      epa: status,
      temporalUrl: temporalUrl(status.epaId),
      flash,
      canRecord: req.session.user?.role === 'admin',
    });
  });
}
