import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../app/context.ts';
import { AppError } from '../errors/app-error.ts';
import { ERRORS } from '../errors/registry.ts';
import { ColourSchema, ERROR_RESPONSES } from '../http/schemas.ts';
import { acceptance, checkpointOf } from '../recognition/acceptance.ts';
import { acceptanceRuleSetsOf } from '../recognition/acceptance.registry.ts';
import { verifyWithTrust } from './verify-with-trust.ts';

const VerifyBody = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 4096, description: 'The QR text' }),
    checkpointRegion: Type.Optional(
      Type.String({
        pattern: '^[0-9]{6}$',
        description: "The checkpoint's region (GB/T 2260): its province's acceptance rules apply",
      }),
    ),
  },
  { additionalProperties: false },
);

const VerifyResponse = Type.Object({
  valid: Type.Boolean(),
  decision: Type.Union([Type.Literal('accept'), Type.Literal('refuse'), Type.Literal('manual')]),
  reasons: Type.Array(Type.Object({ code: Type.String(), text: Type.String(), textEn: Type.String() })),
  ruleSet: Type.Optional(Type.String({ description: 'id@version of the acceptance rules that decided' })),
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
 * offline verifier against the hub's own signed trust list, then the acceptance rules of the checkpoint's
 * province (or the national ones) for the decision: accept, refuse or a manual check (Q1.5, Q7). It reveals nothing beyond what the code itself
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
        const region = request.body.checkpointRegion;
        const checkpoint = region === undefined ? null : checkpointOf(ctx.provinces, region);
        if (checkpoint === undefined) throw new AppError('YMT_ERR_REGION_UNKNOWN');
        const { result: r, list } = await verifyWithTrust(
          ctx.trust,
          request.body.code.trim(),
          now,
          ctx.config.clockSkewSeconds,
        );
        if (!r.valid) {
          const def = ERRORS[r.error];
          // An invalid code is refused whatever the rules say: the reason is why it is invalid.
          return {
            valid: false,
            decision: 'refuse' as const,
            reasons: [{ code: r.error, text: def.message, textEn: def.messageEn }],
            error: { code: r.error, message: def.message, messageEn: def.messageEn },
          };
        }
        const { decision, reasons, ruleSet } = acceptance(
          r,
          checkpoint,
          ctx.config.hubIssuerId,
          now,
          acceptanceRuleSetsOf(list),
        );
        return {
          valid: true,
          decision,
          reasons: [...reasons],
          ruleSet,
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
