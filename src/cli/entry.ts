/** The program: what bin/yimatong.js starts, and what scripts/build-server.mjs compiles into dist/server. */
import { main } from './main.ts';

process.exitCode = await main(process.argv.slice(2));
