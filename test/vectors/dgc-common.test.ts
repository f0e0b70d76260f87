/**
 * The EU DCC common verifier test cases (../shared/vectors/dgc-common, from eu-digital-green-certificates/
 * dgc-testdata) run stage by stage through our codec. One test per file and per EXPECTED… flag present: the
 * stage must succeed iff the flag is true. docs/vectors.md maps the stages and lists every case.
 *
 * A stage fails only through a CodecError from our codec (or, for the harness's own stages, a zlib error or a
 * QR that does not read back as PREFIX). Preparing a stage's input ("feed") must succeed: a feed failure, or
 * any other exception, fails the test instead of counting as an expected failure.
 *
 * The vectors come with the development workspace (the `shared` folder beside this repository), not with the
 * repository: in a clone alone, one skipped test reports the folder it looked for. YMT_SHARED_VECTORS points the
 * suite at another copy of the vectors folder.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { inflateSync } from 'node:zlib';
import { readQrFromPng } from '../../src/code/qr-decode.ts';
import { base64urlEncode } from '../../src/codec/base64url.ts';
import { CodecError } from '../../src/codec/codec-error.ts';
import { decodeCoseSign1, type CoseSign1 } from '../../src/codec/cose.ts';
import { checkValidityWindow, decodeCwtClaims } from '../../src/codec/cwt.ts';
import { decodeCodeText } from '../../src/codec/token.ts';
import type { TrustedKey } from '../../src/codec/trust-list.ts';
import { verifyCoseSignature } from '../../src/codec/verify.ts';
import { nodeCryptoProvider } from '../../src/signing/node-crypto.ts';

const VECTORS = process.env.YMT_SHARED_VECTORS
  ? pathToFileURL(`${process.env.YMT_SHARED_VECTORS.replace(/\/$/, '')}/`)
  : new URL('../../../shared/vectors/', import.meta.url);
const DIR = new URL('dgc-common/', VECTORS);
const PREFIX = 'HC1:';

interface DgcVector {
  readonly PREFIX?: string;
  readonly BASE45?: string;
  readonly COMPRESSED?: string;
  readonly COSE?: string;
  readonly '2DCODE'?: string;
  readonly TESTCTX: {
    readonly CERTIFICATE?: string;
    readonly VALIDATIONCLOCK?: string;
    readonly DESCRIPTION?: string;
  };
  readonly EXPECTEDRESULTS: Readonly<Record<string, unknown>>;
}

/** Flags whose stage our project has no counterpart for, with the reason reported as the skip message. */
const NOT_APPLICABLE: Readonly<Record<string, string>> = {
  EXPECTEDSCHEMAVALIDATION:
    'not applicable: checks the EU DGC payload against the EU JSON schema; our codes carry a different payload',
  EXPECTEDVALIDJSON:
    'not applicable: compares the decoded EU DGC payload with the JSON field; our codes carry a different payload',
  EXPECTEDKEYUSAGE:
    'not applicable: matches EU key-usage OIDs in the signer certificate to the EU DGC type (test/vacc/recovery); our keys and payload have neither',
};

/**
 * Single cases whose defect lies in the EU payload rather than in the layers we share (base45, COSE_Sign1,
 * CWT, expiry). docs/vectors.md explains each one.
 */
const CASE_NOT_APPLICABLE: Readonly<Record<string, string>> = {
  'CBO1/EXPECTEDDECODE':
    'not applicable: the COSE_Sign1 and the CWT claims are well-formed CBOR; the defect is the EU hcert claim (-260 → 1 holds a byte string starting ff ff instead of the DGC map), which a Yimatong verifier never reads',
};

type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** Runs a codec stage: a CodecError is the stage failing; anything else is a crash and propagates. */
function attempt<T>(stage: () => T): Outcome<T> {
  try {
    return { ok: true, value: stage() };
  } catch (e) {
    if (e instanceof CodecError) return { ok: false, error: e.code };
    throw e;
  }
}

async function attemptAsync<T>(stage: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await stage() };
  } catch (e) {
    if (e instanceof CodecError) return { ok: false, error: e.code };
    throw e;
  }
}

function hexToBytes(hex: string, field: string): Uint8Array {
  if (!/^(?:[0-9a-f]{2})*$/i.test(hex)) throw new Error(`harness: ${field} is not hex`);
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');
}

function isZlibError(e: unknown): e is Error & { code: string } {
  return e instanceof Error && 'code' in e && typeof e.code === 'string' && e.code.startsWith('Z_');
}

/** The harness's own stage: EU DCC tokens are zlib-compressed, ours are not. */
function inflate(bytes: Uint8Array): Outcome<Uint8Array> {
  try {
    return { ok: true, value: new Uint8Array(inflateSync(bytes)) };
  } catch (e) {
    if (isZlibError(e)) return { ok: false, error: `zlib ${e.code}` };
    throw e;
  }
}

/**
 * Feed: the COSE bytes for the decode/verify/expiration stages, from the most specific field present: COSE,
 * else COMPRESSED inflated, else PREFIX through decodeCodeText and inflate. Every step must succeed.
 */
function coseBytes(v: DgcVector): { bytes: Uint8Array; from: string } | undefined {
  if (v.COSE !== undefined) return { bytes: hexToBytes(v.COSE, 'COSE'), from: 'COSE' };
  let compressed: Uint8Array;
  let from: string;
  if (v.COMPRESSED !== undefined) {
    compressed = hexToBytes(v.COMPRESSED, 'COMPRESSED');
    from = 'COMPRESSED inflated';
  } else if (v.PREFIX !== undefined) {
    compressed = decodeCodeText(v.PREFIX, PREFIX);
    from = 'PREFIX via decodeCodeText + inflate';
  } else {
    return undefined;
  }
  const inflated = inflate(compressed);
  if (!inflated.ok) throw new Error(`harness feed: cannot inflate (${inflated.error})`);
  return { bytes: inflated.value, from };
}

/** The EU DCC trust rule: kid = first 8 bytes of SHA-256 over the signer certificate (DER). */
function trustKeysFromCertificate(base64Der: string): Map<string, TrustedKey> {
  const der = Buffer.from(base64Der, 'base64');
  const cert = new X509Certificate(der);
  const key = cert.publicKey;
  let alg: TrustedKey['alg'];
  if (key.asymmetricKeyType === 'ec') {
    assert.equal(key.asymmetricKeyDetails?.namedCurve, 'prime256v1', 'harness: EC certificate not on P-256');
    alg = 'ES256';
  } else if (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss') {
    alg = 'PS256';
  } else {
    throw new Error(`harness: unsupported certificate key type ${String(key.asymmetricKeyType)}`);
  }
  const kid = base64urlEncode(new Uint8Array(createHash('sha256').update(der).digest().subarray(0, 8)));
  // verifyCoseSignature consults only kid, alg and key; iss and the window are filled for completeness.
  const trusted: TrustedKey = {
    kid,
    iss: cert.subject,
    alg,
    notBefore: Date.parse(cert.validFrom),
    notAfter: Date.parse(cert.validTo),
    key,
  };
  return new Map([[kid, trusted]]);
}

/** The hub's own PNG reader (src/code/qr-decode.ts), keeping a reason for the test output. */
function decodeQrPngBuffer(png: Buffer): Outcome<string> {
  const text = readQrFromPng(png);
  return text === undefined
    ? { ok: false, error: 'no readable QR code in the PNG' }
    : { ok: true, value: text };
}

interface StageTest {
  /** Which field feeds the stage and what runs on it, for the test name. */
  readonly describe: string;
  /** Resolves to the stage's outcome; throws (test error) when the input cannot be prepared. */
  readonly run: () => Promise<Outcome<unknown>>;
  /** Extra checks on a successful stage whose flag is true (output matches the next field). */
  readonly check?: (value: unknown) => void;
}

/** The stage for a flag, or a string saying why it is not applicable to this file. */
function stageFor(flag: string, v: DgcVector): StageTest | string {
  const na = NOT_APPLICABLE[flag];
  if (na !== undefined) return na;
  const missing = (field: string): string => `not applicable: input field ${field} is missing in this file`;
  switch (flag) {
    case 'EXPECTEDUNPREFIX': {
      const text = v.PREFIX;
      if (text === undefined) return missing('PREFIX');
      return {
        describe:
          'decodeCodeText(PREFIX, "HC1:") strips the prefix (a base45 error belongs to the next stage)',
        run: () => {
          const r = attempt(() => decodeCodeText(text, PREFIX));
          return Promise.resolve(
            !r.ok && r.error !== 'YMT_ERR_CODE_PREFIX' ? { ok: true, value: text.slice(PREFIX.length) } : r,
          );
        },
        check: () => {
          if (v.BASE45 !== undefined)
            assert.equal(text.slice(PREFIX.length), v.BASE45, 'unprefixed ≠ BASE45');
        },
      };
    }
    case 'EXPECTEDB45DECODE': {
      const text = v.BASE45;
      if (text === undefined) return missing('BASE45');
      return {
        describe: 'decodeCodeText(BASE45, "") decodes base45',
        run: () => Promise.resolve(attempt(() => decodeCodeText(text, ''))),
        check: (value) => {
          if (v.COMPRESSED !== undefined)
            assert.equal(toHex(value as Uint8Array), v.COMPRESSED.toLowerCase(), 'decoded ≠ COMPRESSED');
        },
      };
    }
    case 'EXPECTEDCOMPRESSION': {
      const hex = v.COMPRESSED;
      if (hex === undefined) return missing('COMPRESSED');
      return {
        describe: 'harness stage, not the codec: node:zlib inflateSync(COMPRESSED)',
        run: () => Promise.resolve(inflate(hexToBytes(hex, 'COMPRESSED'))),
        check: (value) => {
          if (v.COSE !== undefined)
            assert.equal(toHex(value as Uint8Array), v.COSE.toLowerCase(), 'inflated ≠ COSE');
        },
      };
    }
    case 'EXPECTEDDECODE': {
      const input = coseBytes(v);
      if (input === undefined) return missing('COSE (or COMPRESSED or PREFIX)');
      return {
        describe: `decodeCoseSign1 on ${input.from}`,
        run: () => Promise.resolve(attempt(() => decodeCoseSign1(input.bytes))),
      };
    }
    case 'EXPECTEDVERIFY': {
      const input = coseBytes(v);
      if (input === undefined) return missing('COSE (or COMPRESSED or PREFIX)');
      const certificate = v.TESTCTX.CERTIFICATE;
      if (certificate === undefined) return missing('TESTCTX.CERTIFICATE');
      return {
        describe: `decodeCoseSign1 + verifyCoseSignature(ES256, PS256) + decodeCwtClaims on ${input.from}`,
        run: async () => {
          const keys = trustKeysFromCertificate(certificate);
          return attemptAsync(async () => {
            const cose: CoseSign1 = decodeCoseSign1(input.bytes);
            await verifyCoseSignature(cose, keys, nodeCryptoProvider, ['ES256', 'PS256']);
            return decodeCwtClaims(cose.payload);
          });
        },
      };
    }
    case 'EXPECTEDEXPIRATIONCHECK': {
      const input = coseBytes(v);
      if (input === undefined) return missing('COSE (or COMPRESSED or PREFIX)');
      const clock = v.TESTCTX.VALIDATIONCLOCK;
      if (clock === undefined) return missing('TESTCTX.VALIDATIONCLOCK');
      return {
        describe: `checkValidityWindow(decodeCwtClaims(payload), VALIDATIONCLOCK, skew 0) on ${input.from}`,
        run: () => {
          const nowSeconds = Date.parse(clock) / 1000;
          assert.ok(Number.isFinite(nowSeconds), `harness: VALIDATIONCLOCK ${clock} does not parse`);
          // Feed: the COSE structure must decode; the signature is not consulted.
          const cose = decodeCoseSign1(input.bytes);
          return Promise.resolve(
            attempt(() => {
              checkValidityWindow(decodeCwtClaims(cose.payload), nowSeconds, 0);
            }),
          );
        },
      };
    }
    case 'EXPECTEDPICTUREDECODE': {
      const png = v['2DCODE'];
      if (png === undefined) return missing('2DCODE');
      const expected = v.PREFIX;
      if (expected === undefined) return missing('PREFIX');
      return {
        describe: 'harness stage, not the codec: pngjs + jsqr on 2DCODE (readQrFromPng) must read PREFIX',
        run: () => {
          const read = decodeQrPngBuffer(Buffer.from(png, 'base64'));
          if (read.ok && read.value !== expected)
            return Promise.resolve({ ok: false, error: 'QR text differs from PREFIX' });
          return Promise.resolve(read);
        },
      };
    }
    default:
      return `not applicable: unknown flag ${flag}`;
  }
}

const present = existsSync(DIR);
const files = present
  ? readdirSync(DIR)
      .filter((f) => f.endsWith('.json'))
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
  : [];
if (present) assert.ok(files.length > 0, `no vectors in ${DIR.pathname}`);
else
  void test(
    'EU DCC common verifier test cases',
    {
      skip:
        `peer-project vectors not found: ${DIR.pathname} is missing. They come with the development workspace ` +
        '(../shared/vectors beside this repository), not with the repository itself',
    },
    () => undefined,
  );

for (const file of files) {
  const id = file.replace(/\.json$/, '');
  const v = JSON.parse(readFileSync(new URL(file, DIR), 'utf8')) as DgcVector;
  const description = v.TESTCTX.DESCRIPTION ?? '';
  for (const [flag, expected] of Object.entries(v.EXPECTEDRESULTS)) {
    if (!flag.startsWith('EXPECTED')) continue;
    const name = `${id} ${flag}=${String(expected)} (${description})`;
    if (typeof expected !== 'boolean') {
      void test(name, () => assert.fail(`harness: ${flag} is not a boolean`));
      continue;
    }
    let stage: StageTest | string;
    try {
      stage = CASE_NOT_APPLICABLE[`${id}/${flag}`] ?? stageFor(flag, v);
    } catch (e) {
      // A feed that cannot be prepared is a harness error, reported as a failing test.
      void test(name, () => {
        throw e;
      });
      continue;
    }
    if (typeof stage === 'string') {
      void test(name, { skip: stage }, () => undefined);
      continue;
    }
    void test(`${name}: ${stage.describe}`, async (t) => {
      const outcome = await stage.run();
      t.diagnostic(outcome.ok ? 'stage succeeded' : `stage failed: ${outcome.error}`);
      if (expected) {
        assert.ok(
          outcome.ok,
          `expected the stage to succeed, it failed with ${outcome.ok ? '' : outcome.error}`,
        );
        stage.check?.(outcome.value);
      } else {
        assert.ok(!outcome.ok, 'expected the stage to fail, it succeeded');
      }
    });
  }
}
