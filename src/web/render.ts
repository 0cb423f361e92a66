/** Renders a page with what every page's layout needs: the signed-in user, the CSRF token, the CSP nonce, the EPAO's name. */
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface PageContext {
  serviceName: string;
}

export async function render(
  req: FastifyRequest,
  reply: FastifyReply,
  ctx: PageContext,
  view: string,
  data: Record<string, unknown> = {},
): Promise<FastifyReply> {
  // A CSRF token (and so a session) only where a form needs one: signed-in pages (sign out) and the sign-in form.
  const csrfToken = req.session.user || data.form ? reply.generateCsrf() : undefined;
  return reply.type('text/html; charset=utf-8').view(view, {
    ...data,
    serviceName: ctx.serviceName,
    user: req.session.user,
    csrfToken,
    cspNonce: reply.cspNonce.script,
    currentPath: req.url.split('?')[0],
  });
}
