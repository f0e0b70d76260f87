import { readFileSync } from 'node:fs';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

const INDEX = readFileSync(new URL('./index.html', import.meta.url), 'utf8');

/** The first citizen page (the full PWA, scanner and console come with the web issue). */
export function webRoutes(): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/',
      { schema: { hide: true, response: { 200: Type.String({ description: 'HTML' }) } } },
      (_request, reply) => {
        void reply
          .header('content-type', 'text/html; charset=utf-8')
          .header(
            'content-security-policy',
            "default-src 'self'; img-src 'self' data:; style-src 'unsafe-inline' 'self'; script-src 'unsafe-inline' 'self'",
          );
        return INDEX;
      },
    );
  };
}
