import { keyStoreFor } from '../signing/keystore.ts';
import { loadConfig } from '../config/config.ts';
import { UsageError } from './usage-error.ts';

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function keysCommand(args: string[]): Promise<number> {
  const store = keyStoreFor(loadConfig());
  const now = new Date();
  switch (args[0]) {
    case 'init':
      print({ created: store.ensure(now), dir: store.dir });
      break;
    case 'rotate':
      // A running hub notices the new key file within KEY_RELOAD_SECONDS.
      print(store.rotate(now));
      break;
    case 'list': {
      store.ensure(now);
      const ring = store.read();
      print({
        generation: ring.generation,
        activeKid: ring.activeKid,
        anchorKid: ring.anchor.kid,
        anchorAlg: ring.anchor.alg,
        keys: ring.keys.map((k) => ({
          kid: k.kid,
          alg: k.alg,
          createdAt: k.createdAt,
          retiredAt: k.retiredAt ?? null,
        })),
      });
      break;
    }
    case 'anchor': {
      store.ensure(now);
      const anchor = store.read().anchor;
      print({ ...anchor.publicJwk, kid: anchor.kid });
      break;
    }
    default:
      throw new UsageError('usage: yimatong keys init|list|rotate|anchor');
  }
  return Promise.resolve(0);
}
