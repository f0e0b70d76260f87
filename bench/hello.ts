/**
 * The ceiling of the HTTP benchmark (bench/http.bench.ts): Fastify's hello world, the same Fastify and Node as the
 * hub, nothing else — in one process, or in BENCH_HELLO_WORKERS processes sharing the port through node:cluster as
 * `yimatong serve --workers N` does. Prints "listening on http://…" like the hub, once every process listens.
 */
import cluster from 'node:cluster';
import Fastify from 'fastify';

const workers = Number(process.env.BENCH_HELLO_WORKERS ?? 1);

async function serve(): Promise<string> {
  const app = Fastify({ logger: false });
  app.get('/', async () => ({ hello: 'world' }));
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  process.on('SIGTERM', () => {
    void app.close().then(() => process.exit(0));
  });
  return address;
}

if (workers === 1) {
  process.stdout.write(`listening on ${await serve()}\n`);
} else if (cluster.isPrimary) {
  const addresses = await Promise.all(
    Array.from(
      { length: workers },
      () =>
        new Promise<string>((resolve) => {
          cluster.fork().on('message', (m: string) => {
            resolve(m);
          });
        }),
    ),
  );
  process.stdout.write(`listening on ${addresses[0] ?? ''}\n`);
  process.on('SIGTERM', () => {
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    process.exit(0);
  });
} else {
  process.send?.(await serve());
}
