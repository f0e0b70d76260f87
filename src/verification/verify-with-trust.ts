/**
 * Verifies a code with the trust list of a trust source, as every online verifier here does (`POST
 * /api/v1/verify`, linking a code): when the code names a key the list does not know, the source is asked once
 * to look again for that kid (a provincial node's copy may be a refresh behind the hub; docs/federation.md), and
 * the code is verified again with the list it then holds.
 */
import type { TrustList } from '../codec/trust-list.ts';
import { codeKid, verifyCode, type VerifyResult } from '../codec/verify.ts';
import type { TrustSource } from '../signing/trust-list.service.ts';
import { nodeCryptoProvider } from '../signing/node-crypto.ts';

export async function verifyWithTrust(
  trust: TrustSource,
  text: string,
  now: Date,
  skewSeconds: number,
): Promise<{ result: VerifyResult; list: TrustList }> {
  const options = { crypto: nodeCryptoProvider, skewSeconds };
  const { loaded } = await trust.trustList(now);
  const result = await verifyCode(text, loaded, now, options);
  if (result.valid || result.error !== 'YMT_ERR_CODE_KID_UNKNOWN') return { result, list: loaded };
  const kid = codeKid(text);
  if (kid === undefined || !(await trust.lookAgain(now, kid))) return { result, list: loaded };
  const { loaded: newer } = await trust.trustList(now);
  return { result: await verifyCode(text, newer, now, options), list: newer };
}
