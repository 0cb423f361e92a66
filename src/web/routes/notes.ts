/** Adding a note to an EPA (/epas/{uln}/note), for signed-in staff: a textarea with a character count, errors in words. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { addNote, NOTE_MAX, type PostedNote } from '../../app/notes';
import type { EpaReader } from '../../app/epas';
import { FormFieldError, newFormKey } from '../../app/event-forms';
import { EpaRejectedError, type EpaClient } from '../../app/epa-client';
import { httpStatusOf } from '../../app/errors';
import { EpaInputError } from '../../epa/errors';
import { requireStaff } from '../middleware/session';
import { render, type PageContext } from '../render';

export function noteRoutes(
  app: FastifyInstance,
  ctx: PageContext,
  epa: EpaReader & Pick<EpaClient, 'recordEvent'>,
  now: () => number,
): void {
  const show = async (req: FastifyRequest, reply: FastifyReply, uln: string, posted: PostedNote, error?: string) => {
    const status = await epa.status(uln);
    return render(req, reply, ctx, 'pages/note.njk', {
      epa: { uln: status.uln, apprentice: status.people.apprentice.name },
      posted: { ...posted, formKey: posted.formKey ?? newFormKey() },
      maxLength: NOTE_MAX,
      error,
      errors: error ? [{ text: error, href: '#text' }] : [],
    });
  };

  app.get('/epas/:uln/note', { preHandler: requireStaff() }, async (req, reply) => {
    const { uln } = req.params as { uln: string };
    return show(req, reply, uln, {});
  });

  app.post('/epas/:uln/note', { preHandler: [requireStaff(), app.csrfProtection] }, async (req, reply) => {
    const { uln } = req.params as { uln: string };
    const body = (req.body ?? {}) as Record<string, unknown>;
    const posted: PostedNote = {
      text: typeof body.text === 'string' ? body.text : '',
      ...(typeof body.formKey === 'string' && { formKey: body.formKey }),
    };
    try {
      await addNote(epa, uln, posted, req.session.user!.name, now());
      req.session.flash = { title: 'Note added', warnings: [] };
      // No #fragment: a browser skips autofocus when the address names a target, and the banner must take the focus.
      return reply.redirect(`/epas/${uln}`);
    } catch (err) {
      if (err instanceof FormFieldError) return show(req, reply.code(httpStatusOf('invalid_input')), uln, posted, err.message);
      if (err instanceof EpaRejectedError || err instanceof EpaInputError) {
        const kind = err instanceof EpaRejectedError ? err.kind : 'invalid_input';
        return show(req, reply.code(httpStatusOf(kind)), uln, posted, `The note could not be added: ${err.message}`);
      }
      throw err;
    }
  });
}
