/**
 * `yimatong verify <text | file.png | file.txt>`: the offline verifier from the command line.
 * Trust comes from, in order: --trust-list FILE|URL with --anchor FILE; --hub URL (the anchor from --anchor, or
 * fetched from the hub on first use); or the local hub's keys in DATA_DIR/keys. `--region CODE` applies the
 * acceptance rules of the checkpoint's province (the national ones without it): accept, refuse or manual.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CODE_TEXT_MAX_BYTES, QR_IMAGE_LIMITS } from '../code/png-header.domain.ts';
import { decodeQrPng } from '../code/qr-decode.ts';
import { keyStoreFor } from '../signing/keystore.ts';
import { loadTrustList, type TrustAnchor } from '../codec/trust-list.ts';
import { verifyCode } from '../codec/verify.ts';
import { loadConfig } from '../config/config.ts';
import { ERRORS, type ErrorCode } from '../errors/registry.ts';
import { ProvinceRegistry } from '../provinces/province-registry.ts';
import { loadAcceptanceRuleSets, SHIPPED_ACCEPTANCE_RULE_DOCS } from '../recognition/acceptance.registry.ts';
import { acceptance, checkpointOf } from '../recognition/acceptance.ts';
import { nodeCryptoProvider } from '../signing/node-crypto.ts';
import { buildTrustList, hubTrustListOptions } from '../signing/trust-list.service.ts';
import { UsageError } from './usage-error.ts';

async function readJsonFrom(source: string): Promise<unknown> {
  if (/^https?:\/\//.test(source)) {
    const res = await fetch(source, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new UsageError(`${source}: HTTP ${res.status}`);
    return res.json();
  }
  return JSON.parse(readFileSync(source, 'utf8')) as unknown;
}

function fail(code: ErrorCode): number {
  const def = ERRORS[code];
  const reasons = [{ code, text: def.message, textEn: def.messageEn }];
  process.stdout.write(
    `${JSON.stringify({ valid: false, decision: 'refuse', reasons, error: { code, message: def.message, messageEn: def.messageEn } })}\n`,
  );
  return 1;
}

export async function verifyCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      'trust-list': { type: 'string' },
      anchor: { type: 'string' },
      hub: { type: 'string' },
      at: { type: 'string' },
      skew: { type: 'string' },
      region: { type: 'string' },
    },
  });
  const input = positionals[0];
  if (input === undefined || positionals.length > 1) {
    throw new UsageError('usage: yimatong verify <text | file.png | file.txt> [options]');
  }
  const config = loadConfig();
  const region = values.region;
  const checkpoint =
    region === undefined ? null : checkpointOf(new ProvinceRegistry(config.corpsCode), region);
  if (checkpoint === undefined)
    throw new UsageError(`--region ${region ?? ''}: no provincial unit has this code`);
  const now = values.at === undefined ? new Date() : new Date(values.at);
  if (Number.isNaN(now.getTime())) throw new UsageError('--at must be an ISO 8601 time');
  const skewSeconds = values.skew === undefined ? config.clockSkewSeconds : Number(values.skew);
  if (!Number.isInteger(skewSeconds) || skewSeconds < 0)
    throw new UsageError('--skew must be a whole number of seconds');

  let text: string = input;
  if (existsSync(input)) {
    // Bounded before reading (docs/security.md#images): the file's size, then a PNG's declared dimensions.
    const png = /\.png$/i.test(input);
    if (statSync(input).size > (png ? QR_IMAGE_LIMITS.maxFileBytes : CODE_TEXT_MAX_BYTES))
      return fail('YMT_ERR_FILE_TOO_LARGE');
    if (png) {
      const read = decodeQrPng(readFileSync(input));
      if (!read.ok) return fail(read.error);
      text = read.text;
    } else text = readFileSync(input, 'utf8').trim();
  }

  let doc: unknown;
  let anchor: TrustAnchor;
  const source =
    values['trust-list'] ?? (values.hub ? `${values.hub}/.well-known/yimatong/trust-list` : undefined);
  if (source !== undefined) {
    doc = await readJsonFrom(source);
    const anchorSource =
      values.anchor ?? (values.hub ? `${values.hub}/.well-known/yimatong/trust-anchor` : undefined);
    if (anchorSource === undefined)
      throw new UsageError('--trust-list needs --anchor FILE (the pinned trust anchor)');
    anchor = (await readJsonFrom(anchorSource)) as TrustAnchor;
  } else {
    const store = keyStoreFor(config);
    if (!existsSync(store.signingFile)) {
      throw new UsageError(`no keys in ${store.dir}: pass --hub URL or --trust-list FILE --anchor FILE`);
    }
    const ring = store.read();
    doc = buildTrustList(ring, now, hubTrustListOptions(config, store, SHIPPED_ACCEPTANCE_RULE_DOCS));
    anchor = { ...ring.anchor.publicJwk, kid: ring.anchor.kid };
  }
  const loaded = await loadTrustList(doc, anchor, now, nodeCryptoProvider);
  if (!loaded.ok) return fail(loaded.error);
  const r = await verifyCode(text, loaded.trustList, now, { crypto: nodeCryptoProvider, skewSeconds });
  if (!r.valid) return fail(r.error);
  // The rules that came signed with the trust list, or the ones this installation ships.
  const received = loadAcceptanceRuleSets(loaded.trustList.acceptanceRules);
  if (!received.ok)
    throw new UsageError(`the trust list's acceptance rules are invalid: ${received.problem}`);
  const { decision, reasons, ruleSet } = acceptance(
    r,
    checkpoint,
    config.hubIssuerId,
    now,
    received.sets.length > 0 ? received.sets : undefined,
  );
  process.stdout.write(
    `${JSON.stringify({
      valid: true,
      decision,
      reasons,
      ruleSet,
      colour: r.colour,
      maskedName: r.maskedName,
      form: r.form,
      issuer: r.issuer,
      issuedAt: r.issuedAt.toISOString(),
      expiresAt: r.expiresAt.toISOString(),
      codeId: r.codeId,
    })}\n`,
  );
  return 0;
}
