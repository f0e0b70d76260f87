/**
 * The Yimatong code format (docs/code-format.md): "YMT1:" + base45(COSE_Sign1_Tagged(ES256, CWT claims)).
 * This file writes tokens; verify.ts reads them.
 */
import { base45Decode, base45Encode } from './base45.ts';
import { CborWriter, type CborValue } from './cbor.ts';
import { CodecError } from './codec-error.ts';
import { sigStructure, writeCoseSign1 } from './cose.ts';
import { CLAIM_CTI, CLAIM_EXP, CLAIM_IAT, CLAIM_ISS, type CwtClaims } from './cwt.ts';

export const YMT_PREFIX = 'YMT1:';
/** Q3.3: a code on screen is valid for 15 minutes. */
export const CODE_LIFETIME_SECONDS = 900;
/** The first private-use CWT claim key (RFC 8392 §9.1: integers below -65536 are private use). */
export const CLAIM_YMT = -65537;
/** Keys inside the private claim map. */
const YMT_COLOUR = 1;
const YMT_MASKED_NAME = 2;
/** Present only on a paper code (Q9), with the value 1; a code on screen leaves it out, so its bytes are as before. */
const YMT_FORM = 3;
const FORM_PAPER = 1;

/**
 * Q9: a paper code, printed by a registrar for a person without a phone, lives longer than a code on screen: at
 * least an hour, at most seven days (the registrar's configured validity is inside; verifiers refuse a longer one).
 */
export const PAPER_CODE_MIN_LIFETIME_SECONDS = 3_600;
export const PAPER_CODE_MAX_LIFETIME_SECONDS = 7 * 86_400;

/** How a code is carried: on the holder's screen (15 minutes) or printed on paper. */
export type CodeForm = 'screen' | 'paper';

export type Colour = 'green' | 'yellow' | 'red';
/** Wire values of the colour: the index in this list. */
export const COLOURS: readonly Colour[] = ['green', 'yellow', 'red'];

export interface CodeClaims {
  readonly iss: string;
  /** Seconds since the epoch. */
  readonly iat: number;
  readonly exp: number;
  /** 16 random bytes. */
  readonly cti: Uint8Array;
  readonly colour: Colour;
  readonly maskedName: string;
  /** Absent: on screen. */
  readonly form?: CodeForm;
}

/** Signs with a key the codec never sees. `protectedHeader` is encodeProtectedHeader(alg, kid), cached per key. */
export interface CodeSigner {
  readonly kid: Uint8Array;
  readonly protectedHeader: Uint8Array;
  sign(data: Uint8Array): Uint8Array;
}

/** The CWT claims map, keys in deterministic order (RFC 8949 §4.2.1: bytewise order of the encoded keys). */
function writeClaims(w: CborWriter, c: CodeClaims): CborWriter {
  w.reset().map(5);
  w.int(CLAIM_ISS).text(c.iss);
  w.int(CLAIM_EXP).int(c.exp);
  w.int(CLAIM_IAT).int(c.iat);
  w.int(CLAIM_CTI).bytes(c.cti);
  const paper = c.form === 'paper';
  w.int(CLAIM_YMT)
    .map(paper ? 3 : 2)
    .int(YMT_COLOUR)
    .int(COLOURS.indexOf(c.colour))
    .int(YMT_MASKED_NAME)
    .text(c.maskedName);
  if (paper) w.int(YMT_FORM).int(FORM_PAPER);
  return w;
}

export function encodeClaims(c: CodeClaims): Uint8Array {
  return writeClaims(new CborWriter(96), c).finish();
}

// Signing is synchronous, so one pair of buffers serves every call: issuing a code allocates little more than
// the signature and the string (bench/code.bench.ts holds the whole to 0.85 × a bare ES256 signature).
const claimsScratch = new CborWriter(256);
const coseScratch = new CborWriter(512);

/** Claims → QR text. */
export function signCode(claims: CodeClaims, signer: CodeSigner): string {
  const lifetime = claims.exp - claims.iat;
  if (claims.form === 'paper') {
    if (lifetime < PAPER_CODE_MIN_LIFETIME_SECONDS || lifetime > PAPER_CODE_MAX_LIFETIME_SECONDS)
      throw new TypeError('a paper code lives between 1 hour and 7 days');
  } else if (lifetime !== CODE_LIFETIME_SECONDS) throw new TypeError('exp must be iat + 900');
  const payload = writeClaims(claimsScratch, claims).view();
  const signature = signer.sign(sigStructure(signer.protectedHeader, payload));
  return (
    YMT_PREFIX + base45Encode(writeCoseSign1(coseScratch, signer.protectedHeader, payload, signature).view())
  );
}

/** Strips the prefix and decodes base45. */
export function decodeCodeText(text: string, prefix: string = YMT_PREFIX): Uint8Array {
  if (!text.startsWith(prefix)) throw new CodecError('YMT_ERR_CODE_PREFIX');
  const bytes = base45Decode(text.slice(prefix.length));
  if (!bytes) throw new CodecError('YMT_ERR_CODE_BASE45');
  return bytes;
}

function claimsError(detail: string): never {
  throw new CodecError('YMT_ERR_CODE_CLAIMS', detail);
}

/** Reads our claims out of a decoded CWT; every one is required and typed. */
export function parseCodeClaims(c: CwtClaims): CodeClaims {
  if (c.iss === undefined || c.iss.length === 0) claimsError('iss is required');
  if (c.iat === undefined || !Number.isInteger(c.iat)) claimsError('iat must be an integer');
  if (c.exp === undefined || !Number.isInteger(c.exp)) claimsError('exp must be an integer');
  if (c.cti?.length !== 16) claimsError('cti must be 16 bytes');
  const ymt: CborValue = c.all.get(CLAIM_YMT);
  if (!(ymt instanceof Map)) return claimsError('the Yimatong claim is missing');
  const colourIndex = ymt.get(YMT_COLOUR);
  const colour = typeof colourIndex === 'number' ? COLOURS[colourIndex] : undefined;
  if (colour === undefined) claimsError('unknown colour');
  const maskedName = ymt.get(YMT_MASKED_NAME);
  if (typeof maskedName !== 'string') claimsError('masked name must be text');
  const form = ymt.get(YMT_FORM);
  if (form !== undefined && form !== FORM_PAPER) claimsError('unknown form');
  const claims = { iss: c.iss, iat: c.iat, exp: c.exp, cti: c.cti, colour, maskedName };
  return form === FORM_PAPER ? { ...claims, form: 'paper' } : claims;
}
