/**
 * A throwaway PostgreSQL cluster for fault tests: initdb into a temp folder, its own port and socket folder, started
 * and stopped with pg_ctl — never the shared server at 127.0.0.1:5432, which other suites use. As root (CI), the
 * cluster belongs to the `postgres` user (initdb refuses root). Undefined when this machine has no PostgreSQL
 * server binaries: the test says it skipped.
 */
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ThrowawayPg {
  readonly url: string;
  readonly port: number;
  /** Stops the server (fast: open connections are cut, as when a server goes away). */
  stop(): void;
  start(): void;
  destroy(): void;
  /**
   * A streaming replica of this cluster (pg_basebackup -R into its own folder, its own port), started. Destroyed
   * with its primary, or on its own.
   */
  replica(): Promise<ThrowawayPg>;
}

function binDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(root, versions[0], 'bin');
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address !== 'object') throw new Error('no port');
  return address.port;
}

export async function startThrowawayPg(): Promise<ThrowawayPg | undefined> {
  const bin = binDir();
  if (bin === undefined) return undefined;
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'ymt-pg-'));
  const data = join(dir, 'data');
  if (asRoot) {
    const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    chownSync(dir, uid, gid);
  }
  const run = (cmd: string, args: string[]) => {
    const r = asRoot
      ? spawnSync('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], { encoding: 'utf8' })
      : spawnSync(join(bin, cmd), args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}${r.stdout}`);
  };
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
  const replicas: ThrowawayPg[] = [];
  const serve = async (folder: string): Promise<ThrowawayPg> => {
    const port = await freePort();
    const options = `-p ${String(port)} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
    const log = join(dir, `${String(port)}.log`);
    const start = () => {
      run('pg_ctl', ['-D', folder, '-o', options, '-l', log, '-w', '-t', '60', 'start']);
    };
    const stop = () => {
      run('pg_ctl', ['-D', folder, '-m', 'fast', '-w', '-t', '60', 'stop']);
    };
    start();
    const self: ThrowawayPg = {
      url: `postgres://postgres@127.0.0.1:${String(port)}/postgres`,
      port,
      start,
      stop,
      async replica() {
        const copy = join(dir, `replica-${String(replicas.length + 1)}`);
        run('pg_basebackup', [
          '-h',
          dir,
          '-p',
          String(port),
          '-U',
          'postgres',
          '-D',
          copy,
          '-R',
          '-X',
          'stream',
          '--no-sync',
        ]);
        const r = await serve(copy);
        replicas.push(r);
        return r;
      },
      destroy() {
        try {
          stop();
        } catch {
          // Already stopped.
        }
        if (folder === data) {
          for (const r of replicas) r.destroy();
          rmSync(dir, { recursive: true, force: true });
        }
      },
    };
    return self;
  };
  return serve(data);
}
