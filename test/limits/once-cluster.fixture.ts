/**
 * Run by once.test.ts: a cluster's primary answering for its workers (answerWorkersOnce) and two workers asking
 * about the same keys through ClusterOnce. Each worker prints what it was told; the primary exits when both have.
 */
import cluster from 'node:cluster';
import { answerWorkersOnce, ClusterOnce } from '../../src/limits/once.ts';

if (cluster.isPrimary) {
  answerWorkersOnce();
  let left = 2;
  for (let i = 0; i < 2; i++)
    cluster.fork().on('exit', () => {
      if (--left === 0) process.exit(0);
    });
} else {
  const once = new ClusterOnce();
  const now = Date.now();
  // Both workers ask about "shared"; each about a key of its own.
  const shared = await once.firstTime('shared', 60_000, now);
  const own = await once.firstTime(`own-${String(cluster.worker?.id)}`, 60_000, now);
  const again = await once.firstTime(`own-${String(cluster.worker?.id)}`, 60_000, now);
  process.stdout.write(`${JSON.stringify({ shared, own, again })}\n`);
  process.disconnect();
}
