import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../app/context.ts';
import { verifyCode } from '../codec/verify.ts';
import { ERRORS } from '../errors/registry.ts';
import { ColourSchema, ERROR_RESPONSES } from '../http/schemas.ts';
import { nodeCryptoProvider } from '../signing/node-crypto.ts';

const VerifyBody = Type.Object(
  { code: Type.String({ minLength: 1, maxLength: 4096, description: 'The QR text' }) },
  { additionalProperties: false },
);

const VerifyResponse = Type.Object({
  valid: Type.Boolean(),
  colour: Type.Optional(ColourSchema),
  maskedName: Type.Optional(Type.String()),
  issuer: Type.Optional(Type.String()),
  issuedAt: Type.Optional(Type.String({ format: 'date-time' })),
  expiresAt: Type.Optional(Type.String({ format: 'date-time' })),
  error: Type.Optional(
    Type.Object({ code: Type.String(), message: Type.String(), messageEn: Type.String() }),
  ),
});

/**
 * Online verification, for channels that cannot verify offline (Q3.2, Q6). It runs exactly the checkpoint's
 * offline verifier against the hub's own signed trust list. It reveals nothing beyond what the code itself
 * carries (colour, masked name, issuer, validity), so it needs no session.
 */
export function verifyRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/api/v1/verify',
      {
        schema: {
          operationId: 'verifyCode',
          summary: '验证健康码 (verify the code)',
          tags: ['verification'],
          body: VerifyBody,
          response: { 200: VerifyResponse, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const now = ctx.clock();
        const { loaded } = await ctx.keys.trustList(now);
        const r = await verifyCode(request.body.code.trim(), loaded, now, {
          crypto: nodeCryptoProvider,
          skewSeconds: ctx.config.clockSkewSeconds,
        });
        if (!r.valid) {
          const def = ERRORS[r.error];
          return { valid: false, error: { code: r.error, message: def.message, messageEn: def.messageEn } };
        }
        return {
          valid: true,
          colour: r.colour,
          maskedName: r.maskedName,
          issuer: r.issuer,
          issuedAt: r.issuedAt.toISOString(),
          expiresAt: r.expiresAt.toISOString(),
        };
      },
    );
  };
}
