/**
 * Tasks (issue 29 part 9): the board's "To handle" list (/tasks, by owner), choosing an EPA's case
 * owner (/epas/{uln}/owner, checked on a check-your-answers page) and marking a task done
 * (/epas/{uln}/tasks/done, from the EPA page). The words and checks are src/app/tasks.ts's.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { EpaRejectedError } from '../../app/epa-client';
import type { EpaService } from '../../app/epa-service';
import { FormFieldError, newFormKey } from '../../app/event-forms';
import type { EpaListings } from '../../app/listings';
import { assignCaseOwner, caseOwnerChoices, checkCaseOwner, markTaskDone, toHandle, type ToHandleQuery } from '../../app/tasks';
import type { UserStore } from '../../app/users';
import { stageNames } from '../../epa/display-names';
import { EpaInputError } from '../../epa/errors';
import { requireStaff } from '../middleware/session';
import { render, type PageContext } from '../render';

export function taskRoutes(
  app: FastifyInstance,
  ctx: PageContext,
  services: { epa: Pick<EpaService, 'status' | 'recordEvent'>; listings: EpaListings; users: UserStore },
  now: () => number,
): void {
  const { epa, listings, users } = services;

  app.get('/tasks', { preHandler: requireStaff() }, async (req, reply) => {
    const found = await toHandle(listings, users, req.query as ToHandleQuery, req.session.user!, now());
    return render(req, reply, ctx, 'pages/tasks.njk', { found });
  });

  const showOwner = async (
    req: FastifyRequest,
    reply: FastifyReply,
    uln: string,
    posted: { owner?: string; formKey?: string },
    error?: string,
  ) => {
    const status = await epa.status(uln);
    if (status.completed) throw new EpaInputError('This EPA has finished: its case owner can no longer change', 'uln');
    const choices = await caseOwnerChoices(users);
    return render(req, reply, ctx, 'pages/owner.njk', {
      form: true,
      epa: { uln: status.uln, apprentice: status.people.apprentice.name, caseOwner: status.caseOwner?.name ?? '' },
      choices: choices.map((c) => ({
        value: c.username,
        text: c.name,
        checked: (posted.owner ?? status.caseOwner?.username) === c.username,
      })),
      formKey: posted.formKey ?? newFormKey(),
      error,
      errors: error ? [{ text: error, href: '#owner' }] : [],
    });
  };

  app.get('/epas/:uln/owner', { preHandler: requireStaff('admin') }, async (req, reply) => {
    const { uln } = req.params as { uln: string };
    return showOwner(req, reply, uln, {});
  });

  app.post('/epas/:uln/owner', { preHandler: [requireStaff('admin'), app.csrfProtection] }, async (req, reply) => {
    const { uln } = req.params as { uln: string };
    const body = (req.body ?? {}) as Record<string, unknown>;
    const posted = {
      ...(typeof body.owner === 'string' && { owner: body.owner }),
      ...(typeof body.formKey === 'string' && { formKey: body.formKey }),
    };
    try {
      if (body.confirmed !== 'yes') {
        const status = await epa.status(uln);
        if (status.completed) throw new EpaInputError('This EPA has finished: its case owner can no longer change', 'uln');
        const owner = await checkCaseOwner(users, status, posted.owner);
        const stage = stageNames[status.stage] ?? status.stage;
        return render(req, reply, ctx, 'pages/check-answers.njk', {
          form: true,
          epa: status,
          title: 'Choose the case owner',
          rows: [
            { key: { text: 'Case owner' }, value: { text: owner.name } },
            { key: { text: 'Until now' }, value: { text: status.caseOwner?.name ?? 'No owner yet' } },
          ],
          effects: { stage: { changes: false, was: stage, now: stage }, deadlines: [], messages: [], notSent: [] },
          action: `/epas/${uln}/owner`,
          hidden: [
            ['owner', owner.username],
            ['formKey', posted.formKey ?? newFormKey()],
          ],
          changeHref: `/epas/${uln}/owner`,
          button: 'Confirm the case owner',
        });
      }
      const { owner } = await assignCaseOwner(epa, users, uln, posted, req.session.user!.name, now());
      req.session.flash = { title: `${owner.name} is now the case owner`, warnings: [] };
      return reply.redirect(`/epas/${uln}#tasks-heading`);
    } catch (err) {
      if (err instanceof FormFieldError) return showOwner(req, reply.code(400), uln, posted, err.message);
      if (err instanceof EpaRejectedError)
        return showOwner(req, reply.code(409), uln, posted, `The case owner could not be recorded: ${err.message}`);
      throw err;
    }
  });

  app.post('/epas/:uln/tasks/done', { preHandler: [requireStaff('admin'), app.csrfProtection] }, async (req, reply) => {
    const { uln } = req.params as { uln: string };
    const body = (req.body ?? {}) as Record<string, unknown>;
    const posted = {
      ...(typeof body.task === 'string' && { task: body.task }),
      ...(typeof body.formKey === 'string' && { formKey: body.formKey }),
    };
    try {
      const { title } = await markTaskDone(epa, uln, posted, req.session.user!.name, now());
      req.session.flash = { title: `Done: ${title}`, warnings: [] };
      return reply.redirect(`/epas/${uln}#tasks-heading`);
    } catch (err) {
      if (err instanceof FormFieldError) throw new EpaInputError(err.message, 'task');
      if (err instanceof EpaRejectedError) throw new EpaInputError(`The task could not be marked done: ${err.message}`, 'task');
      throw err;
    }
  });
}
