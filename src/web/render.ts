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
  const csrfToken = reply.generateCsrf();
  return reply.type('text/html; charset=utf-8').view(view, {
    ...data,
    serviceName: ctx.serviceName,
    user: req.session.user,
    csrfToken,
    cspNonce: reply.cspNonce.script,
    currentPath: req.url.split('?')[0],
  });
}
