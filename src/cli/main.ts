/**
 * `yimatong` — the command line of the hub. Each subcommand lives in its own file; this one dispatches.
 * Exit codes: 0 success, 1 the command ran and found a problem (invalid code, rejected records), 2 usage or
 * configuration error.
 */
import { existsSync } from 'node:fs';
import { ConfigError } from '../config/config.ts';
import { UsageError } from './usage-error.ts';

const HELP = `yimatong — 一码通 national health code hub

Usage:
  yimatong serve [--workers N]            run the hub (PORT, DATA_DIR, DATABASE_URL, WORKERS… see .env.example)
  yimatong verify <text | file.png | file.txt> [--trust-list FILE|URL --anchor FILE] [--hub URL]
                                          [--at ISO-TIME] [--skew SECONDS] [--region CODE]
                                          verify a code offline and decide (accept, refuse, manual)
                                          under the region's province rules; prints JSON, exit 0 valid,
                                          1 invalid
  yimatong keys init|list|rotate|anchor   manage the signing keys in DATA_DIR/keys
  yimatong identities import FILE         load real-name identities from NDJSON
  yimatong ingest <source> <file> [--batch-id ID] [--format ndjson|csv] [--province CODE]
                                          load a department feed (health, immigration, aviation,
                                          railway, telecom, area-risk); exit 1 when records were rejected
  yimatong departments add --source S --name N [--province CODE] | list | revoke ID
                                          feed credentials (the token is shown once)
  yimatong operators add --name N [--province CODE] | list | disable ID
                                          operations console accounts: national staff, or a
                                          province's authority (the token is shown once)
  yimatong registrars add --name N --region CODE | list | disable ID
                                          staff who record declarations for people without a
                                          phone and print paper codes (the token is shown once)
  yimatong checkpoint-staff add --name N --region CODE | list | disable ID
                                          staff who look a person up by document at a checkpoint
                                          and record a manual check (the token is shown once)
  yimatong seed --people N [--days 14] [--seed 1] [--until YYYY-MM-DD] [--out DIR]
                                          generate a deterministic population and load its feeds
  yimatong migrate                        bring the database schema up to date
  yimatong purge [--dry-run]              remove what is past its retention window (RETENTION_*);
                                          prints what was removed per kind as JSON
  yimatong province --code CODE --hub URL --public-url https://… [--port 0] [--data-dir DIR]
                   [--rules FILE]         run a provincial node (its own database, keys and port);
                                          http://127.0.0.1 only with NODE_URLS_ALLOW_LOCAL=true
  yimatong federation [--provinces all|CODE,CODE,…] [--port 8080] [--rules-dir DIR]
                                          run the hub and provincial nodes as separate processes;
                                          prints one JSON line per process when it is ready
  yimatong provinces enrol FILE | list | revoke-key KID --reason TEXT
                                          enrol a province's keys at the hub, list, revoke a key
  yimatong rule-sets list | validate FILE | publish FILE [--status]
                                          acceptance rule sets (or, with --status, status rule sets):
                                          list, check, publish as an operator
  yimatong tickets list [--status open|answered] | answer ID --answer TEXT
                                          the operators' ticket queue (non-recognition reports)
  yimatong status-entries add --document-type T --document-number N [--nationality XXX] --kind KIND
                          [--until ISO-TIME] --reason TEXT | end ID --reason TEXT | list [--active]
                                          a holder's case status recorded by an operator (kinds:
                                          src/status/status-entry-kinds.json), ended with a reason
  yimatong audit verify [--anchor FILE] | anchor [--out FILE]
                                          check the audit log's hash chain (exit 1 naming the first
                                          bad entry); export its head signed, to keep elsewhere
`;

type Command = (args: string[]) => Promise<number>;

/** Loaded on demand, so that `verify` on a checkpoint does not load the HTTP server and the database drivers. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  serve: async () => (await import('./serve.command.ts')).serveCommand,
  verify: async () => (await import('./verify.command.ts')).verifyCommand,
  keys: async () => (await import('./keys.command.ts')).keysCommand,
  identities: async () => (await import('./identities.command.ts')).identitiesCommand,
  ingest: async () => (await import('./ingest.command.ts')).ingestCommand,
  departments: async () => (await import('./departments.command.ts')).departmentsCommand,
  operators: async () => (await import('./operators.command.ts')).operatorsCommand,
  registrars: async () => (await import('./staff.command.ts')).registrarsCommand,
  'checkpoint-staff': async () => (await import('./staff.command.ts')).checkpointStaffCommand,
  seed: async () => (await import('./seed.command.ts')).seedCommand,
  migrate: async () => (await import('./migrate.command.ts')).migrateCommand,
  purge: async () => (await import('./purge.command.ts')).purgeCommand,
  province: async () => (await import('./province.command.ts')).provinceCommand,
  federation: async () => (await import('./federation.command.ts')).federationCommand,
  provinces: async () => (await import('./provinces.command.ts')).provincesCommand,
  'rule-sets': async () => (await import('./rule-sets.command.ts')).ruleSetsCommand,
  tickets: async () => (await import('./tickets.command.ts')).ticketsCommand,
  'status-entries': async () => (await import('./status-entries.command.ts')).statusEntriesCommand,
  audit: async () => (await import('./audit.command.ts')).auditCommand,
};

export async function main(argv: string[]): Promise<number> {
  // The environment wins over .env, which wins over the defaults.
  if (existsSync('.env')) process.loadEnvFile('.env');
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(HELP);
    return name === undefined ? 2 : 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`unknown command: ${name}\n\n${HELP}`);
    return 2;
  }
  try {
    const command = await load();
    return await command(args);
  } catch (e) {
    // parseArgs refuses unknown options and stray operands with an ERR_PARSE_ARGS_… TypeError: a usage error too.
    const parseError =
      e instanceof TypeError && String((e as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS');
    if (e instanceof UsageError || e instanceof ConfigError || parseError) {
      process.stderr.write(`${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
