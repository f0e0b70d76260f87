/**
 * Headers on every API answer (issue 17, Q11): `X-Content-Type-Options: nosniff`, and `Cache-Control: no-store`
 * unless the route said otherwise — answers carry tokens and personal data, which no cache (a shared proxy, the
 * browser's disk) may keep. Public reference data (provinces, regions) says `public, max-age=3600` itself.
 */
import type { FastifyInstance } from 'fastify';

export function installApiHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control'))
      reply.header('cache-control', 'no-store');
    return payload;
  });
}
