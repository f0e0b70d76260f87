import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../errors/app-error.ts';
import { ERRORS, type ErrorCode } from '../errors/registry.ts';
import { ColourSchema, ERROR_RESPONSES } from '../http/schemas.ts';
import { acceptance, checkpointOf } from '../recognition/acceptance.ts';
import { acceptanceRuleSetsOf } from '../recognition/acceptance.registry.ts';
import type { ProvinceRegistry } from '../provinces/province-registry.ts';
import type { TrustSource } from '../signing/trust-list.service.ts';
import type { Clock } from '../time/clock.ts';
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
  form: Type.Optional(
    Type.Union([Type.Literal('screen'), Type.Literal('paper')], {
      description: 'paper: printed by a registrar (Q9), valid longer than a code on screen',
    }),
  ),
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
 *
 * On the hub, a code the hub issued and has since withdrawn (a correction took away the evidence behind its
 * colour, src/corrections) is refused like an invalid one: `withdrawn` answers from the hub's own record of its
 * codes. A node has no such record of the hub's codes, and checkpoints verify offline: they accept it until it
 * expires.
 */
export function verifyRoutes(deps: {
  readonly trust: TrustSource;
  readonly registry: ProvinceRegistry;
  readonly hubIssuerId: string;
  readonly clockSkewSeconds: number;
  readonly clock: Clock;
  /** The hub only: whether a code it issued (its hex id) was withdrawn after a correction. */
  readonly withdrawn?: (codeId: string) => Promise<boolean>;
}): FastifyPluginAsyncTypebox {
  const { trust, registry, clock } = deps;
  /** An invalid (or withdrawn) code is refused whatever the rules say: the reason is why. */
  const refused = (code: ErrorCode) => {
    const def = ERRORS[code];
    return {
      valid: false,
      decision: 'refuse' as const,
      reasons: [{ code, text: def.message, textEn: def.messageEn }],
      error: { code, message: def.message, messageEn: def.messageEn },
    };
  };
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
        const now = clock();
        const region = request.body.checkpointRegion;
        const checkpoint = region === undefined ? null : checkpointOf(registry, region);
        if (checkpoint === undefined) throw new AppError('YMT_ERR_REGION_UNKNOWN');
        const { result: r, list } = await verifyWithTrust(
          trust,
          request.body.code.trim(),
          now,
          deps.clockSkewSeconds,
        );
        if (!r.valid) return refused(r.error);
        if (r.issuer === deps.hubIssuerId && deps.withdrawn && (await deps.withdrawn(r.codeId)))
          return refused('YMT_ERR_CODE_WITHDRAWN');
        const { decision, reasons, ruleSet } = acceptance(
          r,
          checkpoint,
          deps.hubIssuerId,
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
          form: r.form,
          issuer: r.issuer,
          issuedAt: r.issuedAt.toISOString(),
          expiresAt: r.expiresAt.toISOString(),
        };
      },
    );
  };
}
