/**
 * Sending a failed message again (/epas/{uln}/message/again?key=…&role=…), for admins: the
 * check-your-answers page (what will be sent to whom, at the recipient's address now, and whether
 * it was corrected since it failed), then the event recorded through the EPA's workflow, which
 * sends the message once (src/app/resend.ts). The message is named by its key and role only: no
 * address in the URL.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SentCopies } from '../../../activities/sent-record';
import { newFormKey, type PostedForm } from '../../app/event-forms';
import type { EpaService } from '../../app/epa-service';
import { resendCheck, sendAgain } from '../../app/resend';
import { londonDateOf } from '../../calendar';
import { requireStaff } from '../middleware/session';
import { render, type PageContext } from '../render';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export function resendRoutes(
  app: FastifyInstance,
  ctx: PageContext,
  epa: Pick<EpaService, 'status' | 'preview' | 'recordEvent'>,
  copies: SentCopies,
  now: () => number,
): void {
  const show = async (
    req: FastifyRequest,
    reply: FastifyReply,
    uln: string,
    message: { key: string; role: string },
    posted: PostedForm,
    error?: string,
  ) => {
    const check = await resendCheck(epa, copies, uln, message.key, message.role, londonDateOf(now()));
    return render(req, reply, ctx, 'pages/resend.njk', {
      form: true,
      check,
      posted: { ...posted, formKey: posted.formKey ?? newFormKey() },
      error,
      errors: error ? [{ text: error, href: '#reason' }] : [],
    });
  };

  app.get('/epas/:uln/message/again', { preHandler: requireStaff('admin') }, async (req, reply) => {
    const { uln } = req.params as { uln: string };
    const q = req.query as Record<string, unknown>;
    return show(req, reply, uln, { key: str(q.key), role: str(q.role) }, {});
  });

  app.post('/epas/:uln/message/again', { preHandler: [requireStaff('admin'), app.csrfProtection] }, async (req, reply) => {
    const { uln } = req.params as { uln: string };
    const posted = (req.body ?? {}) as PostedForm;
    const form = { key: str(posted.key), role: str(posted.role), reason: str(posted.reason).trim(), formKey: posted.formKey };
    const result = await sendAgain(epa, copies, uln, form, req.session.user!.name, londonDateOf(now()));
    if ('problem' in result)
      // A changed form key is replaced by a new one: sent again, the form is one event again.
      return show(
        req,
        reply.code(result.code),
        uln,
        form,
        result.field === 'formKey' ? { ...posted, formKey: undefined } : posted,
        result.problem,
      );
    req.session.flash = { title: result.recorded, warnings: [] };
    // No #fragment: the banner takes the focus (a named target would skip autofocus).
    return reply.redirect(`/epas/${uln}`);
  });
}
