import { commandLineUser, recordAct } from '../audit/audited.ts';
import { loadConfig } from '../config/config.ts';
import { inTransaction } from '../db/database.ts';
import { isProvinceNodeStore } from '../province-node/province-keys.ts';
import { keyStoreFor } from '../signing/keystore.ts';
import { UsageError } from './usage-error.ts';
import { withParts } from './with-parts.ts';

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function keysCommand(args: string[]): Promise<number> {
  const config = loadConfig();
  const store = keyStoreFor(config);
  const now = new Date();
  switch (args[0]) {
    case 'init':
      print({ created: store.ensure(now), dir: store.dir });
      break;
    case 'rotate':
      // A provincial node's rotation reaches the hub's audit log when the node uploads the key (an issuer key added,
      // by the province); the node's own database is not opened here.
      if (isProvinceNodeStore(store)) {
        print(store.rotate(now));
        break;
      }
      // Chained in the hub's audit log with the system user; a running hub notices the new key file within
      // KEY_RELOAD_SECONDS.
      return withParts(config, async ({ db }) => {
        const rotation = await store.rotateThen(now, (r) =>
          inTransaction(db, async (trx) => {
            await recordAct(trx, commandLineUser(), now, {
              action: 'signing-key.rotate',
              subject: r.activeKid,
              detail: { retired: r.retiredKid ?? null, removed: r.removedKids },
            });
            return r;
          }),
        );
        print(rotation);
        return 0;
      });
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
