/**
 * The checkpoint's decision for a verified code: the acceptance rules in force for the province that contains
 * the checkpoint's region, or the national ones. Shared by `POST /api/v1/verify` and `yimatong verify --region`.
 */
import type { VerifiedCode } from '../codec/verify.ts';
import type { ProvinceRegistry } from '../provinces/province-registry.ts';
import { SHIPPED_ACCEPTANCE_RULE_SETS } from './acceptance.registry.ts';
import {
  decide,
  ruleSetInForce,
  type AcceptanceDecision,
  type AcceptanceRuleSet,
} from './acceptance-rule-set.ts';

/** The checkpoint of a region code; undefined when the code belongs to no provincial unit. */
export function checkpointOf(
  provinces: ProvinceRegistry,
  region: string,
): { region: string; province: string } | undefined {
  const unit = provinces.unitOf(region);
  return unit && { region, province: unit.code };
}

export function acceptance(
  code: Pick<VerifiedCode, 'issuer' | 'colour' | 'issuedAt' | 'expiresAt'>,
  checkpoint: { region: string; province: string } | null,
  nationalIssuer: string,
  now: Date,
  sets: readonly AcceptanceRuleSet[] = SHIPPED_ACCEPTANCE_RULE_SETS,
): AcceptanceDecision {
  const rules = ruleSetInForce(sets, checkpoint?.province ?? null, now);
  if (!rules) throw new Error('no national acceptance rule set in force');
  return decide(
    rules,
    {
      code: { iss: code.issuer, colour: code.colour, issuedAt: code.issuedAt, expiresAt: code.expiresAt },
      checkpoint,
      nationalIssuer,
    },
    now,
  );
}
