// What the build scripts (build-web.mjs, build-server.mjs) and bin/yimatong.js compare a build with: the newest
// modification time under a path (a file, or a folder read recursively; 0 when it does not exist).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function newest(path) {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((e) => newest(join(path, e))));
}
