import { readFileSync } from 'node:fs';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

const INDEX = readFileSync(new URL('./index.html', import.meta.url), 'utf8');

/** The first citizen page (the full PWA, scanner and console come with the web issue). */
export function webRoutes(): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/', { schema: { hide: true } }, (_request, reply) =>
      reply
        .header('content-type', 'text/html; charset=utf-8')
        .header(
          'content-security-policy',
          "default-src 'self'; img-src 'self' data:; style-src 'unsafe-inline' 'self'; script-src 'unsafe-inline' 'self'",
        )
        .send(INDEX),
    );
  };
}
