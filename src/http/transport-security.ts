/**
 * HTTP Strict Transport Security (issue 17, docs/operations.md#tls): an answer to a request that came over https
 * tells the browser to use https only for this host and its subdomains for HSTS_MAX_AGE_SECONDS. The hub listens
 * on plain HTTP; TLS ends at a reverse proxy, and a request counts as https when the socket is TLS or when a proxy
 * listed in TRUST_PROXY says so in `X-Forwarded-Proto` (Fastify's `request.protocol`). Never on plain http: a
 * browser ignores it there, and a client could not be trusted to claim https.
 */
import type { FastifyInstance } from 'fastify';

export function installTransportSecurity(app: FastifyInstance, maxAgeSeconds: number): void {
  if (maxAgeSeconds <= 0) return;
  const value = `max-age=${String(maxAgeSeconds)}; includeSubDomains`;
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.protocol === 'https') reply.header('strict-transport-security', value);
    return payload;
  });
}

/** Fastify's `trustProxy`: the listed proxies' X-Forwarded-* headers are believed; none listed, none are. */
export function trustedProxies(list: readonly string[]): string[] | false {
  return list.length > 0 ? [...list] : false;
}
