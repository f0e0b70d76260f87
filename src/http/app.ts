/**
 * The hub's HTTP app, built without listening (tests call it with `inject`; src/cli/serve.command.ts listens).
 */
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../app/context.ts';
import { authRoutes } from '../auth/auth.routes.ts';
import { codeRoutes } from '../code/code.routes.ts';
import { declarationRoutes } from '../declaration/declaration.routes.ts';
import { feedRoutes } from '../feeds/feeds.routes.ts';
import { healthInfoRoutes } from '../health-info/health-info.routes.ts';
import { provinceRoutes } from '../provinces/provinces.routes.ts';
import { trustListRoutes } from '../signing/trust-list.routes.ts';
import { verifyRoutes } from '../verification/verify.routes.ts';
import { webRoutes } from '../web/web.routes.ts';
import { federationRoutes } from '../province-api/province-api.routes.ts';
import { linkedCodesRoutes } from '../linked-codes/linked-codes.routes.ts';
import { nodeRoutes } from '../province-node/node.routes.ts';
import { reportsRoutes } from '../tickets/non-recognition.routes.ts';
import { consoleRoutes } from '../console/console.routes.ts';
import { installErrorHandler } from './error-handler.ts';
import { healthRoutes } from './health.routes.ts';
import { installOverloadProtection } from './overload.ts';

export async function buildApp(ctx: AppContext): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      ctx.config.logLevel === 'silent'
        ? false
        : {
            level: ctx.config.logLevel,
            // Never log credentials or cookies.
            redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
          },
    bodyLimit: ctx.config.bodyLimitBytes,
    // Strict JSON: no type coercion, unknown properties are errors (additionalProperties: false), not dropped.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  installErrorHandler(app);
  installOverloadProtection(app, ctx);
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Yimatong (一码通) national hub API',
        version: '0.1.0',
        description:
          'Operation ids follow GB/T 38963-2020: declare / query / modify health information, apply for, make and verify the code.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          cookie: { type: 'apiKey', in: 'cookie', name: 'ymt_session' },
          provinceSignature: {
            type: 'apiKey',
            in: 'header',
            name: 'x-ymt-signature',
            description:
              'ES256 request signature with x-ymt-caller, x-ymt-date, x-ymt-nonce (docs/federation.md)',
          },
        },
      },
    },
  });

  await app.register(healthRoutes(ctx));
  await app.register(authRoutes(ctx));
  await app.register(declarationRoutes(ctx));
  await app.register(codeRoutes(ctx));
  await app.register(verifyRoutes(ctx));
  await app.register(trustListRoutes(ctx));
  await app.register(feedRoutes(ctx));
  await app.register(healthInfoRoutes(ctx));
  await app.register(provinceRoutes(ctx));
  if (ctx.role === 'hub') {
    // The province API and the holder's cross-province functions live on the hub.
    await app.register(federationRoutes(ctx));
    await app.register(linkedCodesRoutes(ctx));
    await app.register(reportsRoutes(ctx));
    await app.register(consoleRoutes(ctx));
  } else {
    await app.register(nodeRoutes(ctx));
  }
  await app.register(webRoutes());
  app.get(
    '/openapi.json',
    { schema: { hide: true, response: { 200: Type.Object({}, { additionalProperties: true }) } } },
    () => app.swagger(),
  );
  await app.ready();
  return app;
}
