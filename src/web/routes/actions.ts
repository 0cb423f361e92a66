/**
 * The action pages beyond the record forms (issue 29 part 2): put a mistaken entry right (choose it
 * from the timeline, give a reason, check the effects, then the void is recorded), and restart a
 * withdrawn or finished EPA (a new gateway date and a reason, checked first). The words and the
 * effects come from src/app/actions.ts; the rules from the core (through EpaClient).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { effectsInWords, refusalInWords, restartEffects, restartRequest, voidChoices } from '../../app/actions';
import { newFormKey, type PostedForm } from '../../app/event-forms';
import type { EpaService } from '../../app/epa-service';
import { EpaRejectedError } from '../../app/epa-client';
import { londonDateOf } from '../../calendar';
import { dateInWords, upperFirst } from '../../epa/display-names';
import { EpaInputError } from '../../epa/errors';
import { requireStaff } from '../middleware/session';
import { render, type PageContext } from '../render';

type Problem = { text: string; href: string };

const reasonProblem = (reason: string): string | undefined =>
  reason.length < 3
    ? 'Give a reason of at least 3 characters'
    : reason.length > 2000
      ? 'Give a reason of at most 2,000 characters'
      : undefined;

/** A GOV.UK date input's three boxes as a London date, or what is wrong with them. */
function postedDate(posted: PostedForm, name: string, label: string): { date?: string; problem?: string } {
  const [d, m, y] = ['day', 'month', 'year'].map((p) => (posted[`${name}-${p}`] ?? '').trim());
  if (!d && !m && !y) return { problem: `Enter ${label}` };
  if (![d, m, y].every((v) => /^\d+$/.test(v!)) || y!.length !== 4)
    return { problem: `${upperFirst(label)} must be a real date, like 27 3 2027` };
  const date = `${y}-${m!.padStart(2, '0')}-${d!.padStart(2, '0')}`;
  const t = new Date(`${date}T12:00:00Z`);
  if (Number.isNaN(t.getTime()) || t.toISOString().slice(0, 10) !== date)
    return { problem: `${upperFirst(label)} must be a real date, like 27 3 2027` };
  return { date };
}

export function actionRoutes(
  app: FastifyInstance,
  ctx: PageContext,
  epa: Pick<EpaService, 'status' | 'preview' | 'recordEvent' | 'restart'>,
  now: () => number,
): void {
  const showVoid = async (req: FastifyRequest, reply: FastifyReply, uln: string, posted: PostedForm, errors: Problem[]) => {
    const status = await epa.status(uln);
    const choices = voidChoices(status);
    return render(req, reply, ctx, 'pages/void.njk', {
      form: true,
      epa: status,
      choices,
      posted: { formKey: newFormKey(), ...posted },
      errors,
      fieldErrors: Object.fromEntries(errors.map((e) => [e.href.slice(1), e.text])),
    });
  };

  app.get('/epas/:uln/void', { preHandler: requireStaff('admin') }, async (req, reply) => {
    const { uln } = req.params as { uln: string };
    return showVoid(req, reply, uln, {}, []);
  });

  app.post('/epas/:uln/void', { preHandler: [requireStaff('admin'), app.csrfProtection] }, async (req, reply) => {
    const { uln } = req.params as { uln: string };
    const posted = (req.body ?? {}) as PostedForm;
    const status = await epa.status(uln);
    const choices = voidChoices(status);
    const voids = (posted.voids ?? '').trim();
    const reason = (posted.reason ?? '').trim();
    const errors: Problem[] = [];
    const chosen = choices.find((c) => c.eventId === voids);
    if (!chosen) errors.push({ text: 'Choose the entry that was a mistake', href: '#voids' });
    const rp = reasonProblem(reason);
    if (rp) errors.push({ text: rp, href: '#reason' });
    if (errors.length > 0) return showVoid(req, reply.code(400), uln, posted, errors);
    const today = londonDateOf(now());
    const user = req.session.user!;
    const payload = { on: today, voids, reason, by: user.name };
    if (posted.confirmed !== 'yes') {
      const answer = await epa.preview(uln, 'EventVoided', payload);
      if ('refused' in answer)
        return showVoid(req, reply.code(409), uln, posted, [
          { text: `${chosen!.text} cannot be voided: ${refusalInWords(answer.refused, status)}`, href: '#voids' },
        ]);
      return render(req, reply, ctx, 'pages/check-answers.njk', {
        form: true,
        epa: status,
        title: 'Put a mistake right',
        rows: [
          { key: { text: 'Entry to void' }, value: { text: `${chosen!.text} (${chosen!.hint})` } },
          { key: { text: 'Reason' }, value: { text: reason } },
          { key: { text: 'Recorded as of' }, value: { text: dateInWords(today) } },
        ],
        effects: effectsInWords(status, answer, now()),
        action: `/epas/${uln}/void`,
        hidden: [
          ['voids', voids],
          ['reason', reason],
          ['formKey', posted.formKey ?? newFormKey()],
        ],
        changeHref: `/epas/${uln}/void`,
        button: 'Void the entry',
        warning: true,
      });
    }
    const key = posted.formKey && /^[0-9a-f-]{36}$/.test(posted.formKey) ? posted.formKey : undefined;
    try {
      await epa.recordEvent(uln, 'EventVoided', payload, key ? { idempotencyKey: key } : {});
    } catch (err) {
      if (err instanceof EpaRejectedError || err instanceof EpaInputError)
        return showVoid(req, reply.code(409), uln, posted, [
          { text: `${chosen!.text} cannot be voided: ${refusalInWords(err.message, status)}`, href: '#voids' },
        ]);
      throw err;
    }
    req.session.flash = { title: `Put right: ${chosen!.text} is voided`, warnings: [] };
    return reply.redirect(`/epas/${uln}`);
  });

  const showRestart = async (req: FastifyRequest, reply: FastifyReply, uln: string, posted: PostedForm, errors: Problem[]) => {
    const status = await epa.status(uln);
    if (!status.completed) throw new EpaInputError('Only a withdrawn or finished EPA can be restarted', 'uln');
    return render(req, reply, ctx, 'pages/restart.njk', {
      form: true,
      epa: status,
      posted,
      errors,
      fieldErrors: Object.fromEntries(errors.map((e) => [e.href.slice(1).replace(/-day$/, ''), e.text])),
    });
  };

  app.get('/epas/:uln/restart', { preHandler: requireStaff('admin') }, async (req, reply) => {
    const { uln } = req.params as { uln: string };
    return showRestart(req, reply, uln, {}, []);
  });

  app.post('/epas/:uln/restart', { preHandler: [requireStaff('admin'), app.csrfProtection] }, async (req, reply) => {
    const { uln } = req.params as { uln: string };
    const posted = (req.body ?? {}) as PostedForm;
    const status = await epa.status(uln);
    if (!status.completed) throw new EpaInputError('Only a withdrawn or finished EPA can be restarted', 'uln');
    const errors: Problem[] = [];
    const { date, problem } = postedDate(posted, 'gatewaySubmittedOn', 'the date the gateway was submitted again');
    const today = londonDateOf(now());
    if (problem) errors.push({ text: problem, href: '#gatewaySubmittedOn-day' });
    else if (date! > today)
      errors.push({ text: `The date the gateway was submitted again must be today or earlier`, href: '#gatewaySubmittedOn-day' });
    const reason = (posted.reason ?? '').trim();
    const rp = reasonProblem(reason);
    if (rp) errors.push({ text: rp, href: '#reason' });
    if (errors.length > 0) return showRestart(req, reply.code(400), uln, posted, errors);
    if (posted.confirmed !== 'yes') {
      return render(req, reply, ctx, 'pages/check-answers.njk', {
        form: true,
        epa: status,
        title: 'Restart the EPA',
        rows: [
          { key: { text: 'Gateway submitted again' }, value: { text: dateInWords(date) } },
          { key: { text: 'Reason' }, value: { text: reason } },
          { key: { text: 'The earlier record' }, value: { text: 'Kept, and still readable' } },
        ],
        effects: restartEffects(status, date!, now()),
        action: `/epas/${uln}/restart`,
        hidden: [
          ['gatewaySubmittedOn-day', posted['gatewaySubmittedOn-day']],
          ['gatewaySubmittedOn-month', posted['gatewaySubmittedOn-month']],
          ['gatewaySubmittedOn-year', posted['gatewaySubmittedOn-year']],
          ['reason', reason],
        ],
        changeHref: `/epas/${uln}/restart`,
        button: 'Restart the EPA',
        warning: true,
      });
    }
    try {
      await epa.restart(restartRequest(status, date!), reason);
    } catch (err) {
      if (err instanceof EpaRejectedError || err instanceof EpaInputError)
        return showRestart(req, reply.code(409), uln, posted, [
          { text: `The EPA cannot be restarted: ${refusalInWords(err.message, status)}`, href: '#reason' },
        ]);
      throw err;
    }
    req.session.flash = { title: 'The EPA has been restarted', warnings: [] };
    return reply.redirect(`/epas/${uln}`);
  });
}
