/**
 * The SM2 rows of bench/code.bench.ts (national cryptography, docs/capacity.md): a code signed and verified
 * with SM2 through the codec, beside the raw SM2 primitive of OpenSSL (node:crypto) measured in the same run.
 *
 * The raw primitive is node:crypto with a key imported from PEM — the one way node signs real SM2/SM3, though
 * with an empty signer ID (PITFALLS.md): the same arithmetic and hash work as ours (whose ID is the standard's
 * default), so it is the fair floor to compare against. Its signatures are DER, which it writes whatever
 * `dsaEncoding` says. The codec's SM2 is plain TypeScript (src/codec/sm2.ts), so the ratios are expected well
 * below the ES256 ones: they say what national cryptography costs here, not a goal.
 */
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base64urlDecode } from '../src/codec/base64url.ts';
import { sigStructure } from '../src/codec/cose.ts';
import { sm2PrivateKey, sm2Sign, sm2Verify, type Sm2PublicKey } from '../src/codec/sm2.ts';
import { CODE_LIFETIME_SECONDS, encodeClaims, signCode, type CodeClaims } from '../src/codec/token.ts';
import { loadTrustList } from '../src/codec/trust-list.ts';
import { verifyCode } from '../src/codec/verify.ts';
import { readJson } from '../src/files/json-file.ts';
import { KeyStore } from '../src/signing/keystore.ts';
import { nodeCryptoProvider } from '../src/signing/node-crypto.ts';
import { sm2Spki } from '../src/signing/signing-keys.ts';
import { buildTrustList, HUB_NAME, HUB_NAME_EN } from '../src/signing/trust-list.service.ts';

export interface Sm2Bench {
  readonly name: string;
  readonly fn: () => void | Promise<void>;
  readonly samples: number[];
}

/** Sets up an SM2 keyring and its loaded trust list; returns the four measured rows (raw sign, raw verify, full sign, full verify). */
export async function sm2Benches(options: {
  readonly batch: number;
  readonly issuer: string;
  readonly maskedName: string;
  readonly freshClaims: () => CodeClaims;
  readonly fail: (detail: string) => never;
}): Promise<{ benches: Sm2Bench[]; info: Sm2Bench[]; check: () => Promise<void> }> {
  const { batch, fail } = options;
  const now = new Date();
  const dir = mkdtempSync(join(tmpdir(), 'ymt-bench-sm2-'));
  process.on('exit', () => {
    rmSync(dir, { recursive: true, force: true });
  });
  const store = new KeyStore(dir, CODE_LIFETIME_SECONDS + 60, { codes: 'SM2', anchor: 'SM2' });
  store.ensure(now);
  const keyring = store.read();
  const doc = buildTrustList(keyring, now, {
    issuer: { iss: options.issuer, name: HUB_NAME, nameEn: HUB_NAME_EN },
    validityHours: 24,
    retentionSeconds: CODE_LIFETIME_SECONDS + 60,
  });
  const loaded = await loadTrustList(
    doc,
    { ...keyring.anchor.publicJwk, kid: keyring.anchor.kid },
    now,
    nodeCryptoProvider,
  );
  if (!loaded.ok) throw new Error(`SM2 trust list does not load: ${loaded.error}`);
  const trustList = loaded.trustList;
  const signer = keyring.signer;

  // The same private key, as the codec holds it and as OpenSSL does (PKCS#8 PEM, never exported again).
  const stored = (readJson(store.signingFile) as { keys: { privateJwk: { d: string } }[] }).keys[0];
  const d = stored && base64urlDecode(stored.privateJwk.d);
  if (!d) throw new Error('no SM2 key in the key file');
  const ours = sm2PrivateKey(d);
  const { x, y } = ours.publicKey;
  const pkcs8 = Buffer.concat([
    Buffer.from('308187020100301306072a8648ce3d020106082a811ccf5501822d046d306b0201010420', 'hex'),
    d,
    Buffer.from('a14403420004', 'hex'),
    x,
    y,
  ]);
  const pem = (label: string, der: Buffer) =>
    `-----BEGIN ${label}-----\n${der.toString('base64')}\n-----END ${label}-----\n`;
  const opensslPrivate = createPrivateKey(pem('PRIVATE KEY', pkcs8));
  const opensslPublic = createPublicKey(pem('PUBLIC KEY', sm2Spki(x, y)));
  const trusted = trustList.keys.get(keyring.activeKid);
  if (!trusted) throw new Error('SM2 key not in the trust list');
  const trustedKey = trusted.key as Sm2PublicKey;

  const data = sigStructure(signer.protectedHeader, encodeClaims(options.freshClaims())).slice();
  const rawSignature = sign('sm3', data, opensslPrivate);
  if (!verify('sm3', data, opensslPublic, rawSignature)) throw new Error('raw SM2 self-check failed');
  const codecSignature = sm2Sign(ours, data);

  const pool = Array.from({ length: 32 }, () => signCode(options.freshClaims(), signer));
  let index = 0;
  let last = '';
  let sink = 0;
  const benches: Sm2Bench[] = [
    {
      name: 'raw SM2 sign (OpenSSL, node:crypto)',
      fn: () => {
        for (let i = 0; i < batch; i++) sink += sign('sm3', data, opensslPrivate).length;
      },
      samples: [],
    },
    {
      name: 'raw SM2 verify (OpenSSL, node:crypto)',
      fn: () => {
        for (let i = 0; i < batch; i++)
          if (!verify('sm3', data, opensslPublic, rawSignature)) fail('raw SM2 verify returned false');
      },
      samples: [],
    },
    {
      name: 'SM2 full sign (new cti + claims → QR text)',
      fn: () => {
        for (let i = 0; i < batch; i++) last = signCode(options.freshClaims(), signer);
        sink += last.length;
      },
      samples: [],
    },
    {
      name: 'SM2 full verify (QR text → result)',
      fn: async () => {
        for (let i = 0; i < batch; i++) {
          const r = await verifyCode(pool[index] ?? '', trustList, now, { crypto: nodeCryptoProvider });
          index = (index + 1) % pool.length;
          if (!r.valid) fail(r.error);
          else if (r.maskedName !== options.maskedName) fail('wrong claims');
        }
      },
      samples: [],
    },
  ];
  const info: Sm2Bench[] = [
    {
      name: '  SM2 sign alone (src/codec/sm2.ts)',
      fn: () => {
        for (let i = 0; i < batch; i++) sink += sm2Sign(ours, data).length;
      },
      samples: [],
    },
    {
      name: '  SM2 verify alone (src/codec/sm2.ts)',
      fn: () => {
        for (let i = 0; i < batch; i++)
          if (!sm2Verify(trustedKey, data, codecSignature)) fail('SM2 verify returned false');
      },
      samples: [],
    },
  ];
  return {
    benches,
    info,
    async check() {
      const r = await verifyCode(last, trustList, Date.now(), { crypto: nodeCryptoProvider });
      if (!r.valid) fail(`a token from the SM2 sign benchmark: ${r.error}`);
      if (sink < 0) console.log(sink);
    },
  };
}
