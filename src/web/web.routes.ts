/**
 * Serves the three web faces built by Vite into dist/web (vite.config.ts, docs/web.md): the citizen app at /,
 * the checkpoint scanner at /scan/, the operations console at /console/, and the service worker at /sw.js.
 * Hashed assets are cached for a year; pages, the service worker and its precache list are revalidated on every
 * load. Every page gets a strict Content-Security-Policy: scripts only from this origin, nothing from a CDN.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

export const WEB_ROOT = fileURLToPath(new URL('../../dist/web/', import.meta.url));

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // Preact sets a few style attributes (the expired code's opacity); no style sheet comes from elsewhere.
  "style-src 'self' 'unsafe-inline'",
  // The QR arrives as SVG and is shown as a data: URL; the scanner reads pictures and camera frames as blobs.
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

export function webRoutes(root: string = WEB_ROOT): FastifyPluginAsyncTypebox {
  return async (app) => {
    if (!existsSync(`${root}index.html`)) {
      // Not built: say how to build rather than answer 404 for the home page.
      app.get('/', { schema: { hide: true, response: { 503: Type.String() } } }, async (_request, reply) =>
        reply
          .code(503)
          .type('text/plain; charset=utf-8')
          .send('The web faces are not built: run `npm run build:web` (npm start does it by itself).\n'),
      );
      return;
    }
    await app.register(fastifyStatic, {
      root,
      prefix: '/',
      index: ['index.html'],
      redirect: true,
      preCompressed: false,
      setHeaders(reply, path) {
        if (path.includes('/assets/')) {
          reply.header('cache-control', 'public, max-age=31536000, immutable');
        } else {
          reply.header('cache-control', 'no-cache');
        }
        if (path.endsWith('.html')) {
          reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
          reply.header('x-content-type-options', 'nosniff');
          reply.header('referrer-policy', 'no-referrer');
          // The scanner asks for the camera; nothing else may.
          reply.header('permissions-policy', 'camera=(self), microphone=(), geolocation=()');
        }
      },
    });
  };
}
