/** Starting an EPA from the browser (admins), and importing many from a CSV file: a dry run, then apply. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PostedForm } from '../../app/event-forms';
import { newFormKey } from '../../app/event-forms';
import { applyImport, IMPORT_COLUMN_GUIDE, importOutcomes, importTemplateCsv, planImport } from '../../app/import';
import { capitalise } from '../../app/start-words';
import { startChoices, startEpaFromForm, StartFormError, type StartFormProblem } from '../../app/start-form';
import { londonDateOf } from '../../calendar';
import { EpaInputError } from '../../epa/errors';
import { httpStatusOf } from '../../app/errors';
import type { EpaService } from '../../app/epa-service';
import { requireStaff } from '../middleware/session';
import { render, type PageContext } from '../render';

declare module 'fastify' {
  interface Session {
    /** A CSV checked by a dry run, waiting for "start them" (kept with the session, never in the page). */
    pendingImport?: { csv: string; name: string };
  }
}

export function startRoutes(
  app: FastifyInstance,
  ctx: PageContext,
  epa: EpaService,
  epaoAdmin: { name: string; email: string },
  now: () => number,
): void {
  const admin = requireStaff('admin');

  const showStart = async (req: FastifyRequest, reply: FastifyReply, posted: PostedForm, problems: StartFormProblem[]) => {
    const [year, month, day] = londonDateOf(now()).split('-');
    const fieldErrors: Record<string, string[]> = {};
    for (const p of problems) (fieldErrors[p.field] ??= []).push(p.text);
    return render(req, reply, ctx, 'pages/new-epa.njk', {
      form: true,
      posted: {
        formKey: newFormKey(),
        'gatewaySubmittedOn-day': day,
        'gatewaySubmittedOn-month': month,
        'gatewaySubmittedOn-year': year,
        ...posted,
      },
      errors: problems.map((p) => ({ text: p.text, href: `#${p.target}` })),
      fieldErrors,
      dateParts: problems.find((p) => p.field === 'gatewaySubmittedOn')?.parts ?? [],
      ...startChoices(),
    });
  };

  app.get('/epas/new', { preHandler: admin }, async (req, reply) => showStart(req, reply, {}, []));

  app.post('/epas', { preHandler: [admin, app.csrfProtection] }, async (req, reply) => {
    const posted = (req.body ?? {}) as PostedForm;
    try {
      const { input } = await startEpaFromForm(epa, posted, epaoAdmin, req.session.user!.name, londonDateOf(now()));
      req.session.flash = { title: 'EPA started', warnings: [] };
      return reply.redirect(`/epas/${input.uln}`);
    } catch (err) {
      if (err instanceof StartFormError) return showStart(req, reply.code(httpStatusOf(err.kind)), posted, err.problems);
      throw err;
    }
  });

  const showImport = (req: FastifyRequest, reply: FastifyReply, data: Record<string, unknown> = {}) =>
    render(req, reply, ctx, 'pages/import.njk', { form: true, columns: IMPORT_COLUMN_GUIDE, ...data });

  app.get('/imports', { preHandler: admin }, async (req, reply) => showImport(req, reply));

  // The template: a header row with every column, then one invented example row.
  app.get('/imports/template.csv', { preHandler: admin }, async (_req, reply) =>
    reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="epa-import-template.csv"')
      .send(importTemplateCsv()),
  );

  // The dry run: every row checked, nothing started; the file waits in the session for "start them".
  app.post('/imports', { preHandler: [admin, app.csrfProtection] }, async (req, reply) => {
    const body = (req.body ?? {}) as { file?: Buffer | string; _csrf?: string };
    const csv = Buffer.isBuffer(body.file) ? body.file.toString('utf8') : typeof body.file === 'string' ? body.file : '';
    if (!csv.trim())
      return showImport(req, reply.code(httpStatusOf('invalid_input')), {
        errors: [{ text: 'Choose a CSV file', href: '#file' }],
      });
    try {
      const plan = await planImport(csv, epa, { epaoAdmin });
      req.session.pendingImport = { csv, name: 'the file' };
      return showImport(req, reply, { plan, outcomes: importOutcomes(plan) });
    } catch (err) {
      if (err instanceof EpaInputError)
        return showImport(req, reply.code(httpStatusOf(err.kind)), { errors: [{ text: capitalise(err.detail), href: '#file' }] });
      throw err;
    }
  });

  app.post('/imports/apply', { preHandler: [admin, app.csrfProtection] }, async (req, reply) => {
    const pending = req.session.pendingImport;
    if (!pending) return reply.redirect('/imports');
    const plan = await planImport(pending.csv, epa, { epaoAdmin });
    const result = await applyImport(plan, epa, undefined, `${req.session.user!.name} (import)`);
    req.session.pendingImport = undefined;
    return showImport(req, reply, { result, outcomes: importOutcomes(plan, result) });
  });
}
