/**
 * `yimatong province --code 440000 --hub URL`: runs one province's node — its own database, keys and port,
 * the holder API for its residents, codes with `iss` = its code — beside the hub. Prints one JSON line when it
 * is ready: {"role":"province","code":"440000","url":"http://127.0.0.1:PORT"}. docs/federation.md.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { compose } from '../app/compose.ts';
import { loadConfig } from '../config/config.ts';
import { checkNodeUrl } from '../federation/node-url.domain.ts';
import { buildApp } from '../http/app.ts';
import { ProvinceRegistry } from '../provinces/province-registry.ts';
import { closeGracefully, listen, purgeSessionsPeriodically, untilSignal } from './server-lifecycle.ts';
import { UsageError } from './usage-error.ts';

/** Where a node keeps its data unless told otherwise: beside the hub's, under provinces/CODE. */
export function provinceDataDir(hubDataDir: string, code: string): string {
  return join(hubDataDir, 'provinces', code);
}

const USAGE = `usage: yimatong province --code CODE --hub URL [--port 0] [--host 127.0.0.1] [--data-dir DIR]
                         [--rules FILE]... [--public-url URL]`;

export async function provinceCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      code: { type: 'string' },
      hub: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      rules: { type: 'string', multiple: true },
      'public-url': { type: 'string' },
    },
  });
  const base = loadConfig();
  const code = values.code;
  if (code === undefined || new ProvinceRegistry(base.corpsCode).get(code) === undefined)
    throw new UsageError(`--code must be one of the 32 provincial units\n${USAGE}`);
  if (values.hub === undefined || !/^https?:\/\//.test(values.hub))
    throw new UsageError(`--hub URL is required\n${USAGE}`);
  const hubUrl = values.hub;
  // The hub holds the node's URL to the node URL rule; the node holds itself to it first, before it starts.
  const nodeUrls = { allowLocal: base.nodeUrlsAllowLocal };
  const publicUrl = values['public-url'];
  if (publicUrl === undefined && !nodeUrls.allowLocal)
    throw new UsageError(
      `YMT_ERR_NODE_URL_REFUSED: --public-url https://… is required (http://127.0.0.1 only with NODE_URLS_ALLOW_LOCAL=true, for development)\n${USAGE}`,
    );
  const checked = publicUrl === undefined ? undefined : checkNodeUrl(publicUrl, nodeUrls);
  if (checked?.ok === false)
    throw new UsageError(`YMT_ERR_NODE_URL_REFUSED: --public-url ${String(publicUrl)}: ${checked.problem}`);
  const config = loadConfig({
    ...process.env,
    DATA_DIR: values['data-dir'] ?? provinceDataDir(base.dataDir, code),
    // The node's own database file in its own folder, whatever the hub's is.
    SQLITE_FILE: '',
    PORT: values.port ?? '0',
    ...(values.host === undefined ? {} : { HOST: values.host }),
    DEMO_DATA: 'false',
  });
  const log = (message: string) => {
    process.stderr.write(`${message}\n`);
  };
  const parts = await compose(config, {
    province: { code, hubUrl, rulesFiles: values.rules ?? [], log },
    // On PostgreSQL each node keeps its tables in a schema of its own.
    ...(config.databaseUrl ? { pgSchema: `province_${code}` } : {}),
  });
  const app = await buildApp(parts);
  const stop = untilSignal();
  const stopPurge = purgeSessionsPeriodically(parts.services.auth, parts.clock, app);
  try {
    const port = await listen(app, config);
    const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
    const url = checked?.url ?? `http://${host}:${port}`;
    if (!parts.node) throw new Error('not a provincial node');
    const outcome = await Promise.race([
      parts.node.life.start(url).then(() => 'ready' as const),
      stop.then(() => 'stopped' as const),
    ]);
    // Ready only if it was not stopped while it waited for the hub.
    if (outcome === 'ready') process.stdout.write(`${JSON.stringify({ role: 'province', code, url })}\n`);
    await stop;
    return 0;
  } finally {
    stopPurge();
    await closeGracefully(app);
    await parts.close();
  }
}
