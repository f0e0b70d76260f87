/**
 * The ceiling of the HTTP benchmark (bench/http.bench.ts): Fastify's hello world in one process, the same Fastify
 * and Node as the hub, nothing else. Prints "listening on http://…" like the hub.
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`listening on ${address}\n`);
process.on('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
