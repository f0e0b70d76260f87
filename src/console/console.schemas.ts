/**
 * What the console's sections share: the signed-in user on each request, each route's section, and schema
 * pieces. The response types the sections export are what the web console (web/console) reads.
 */
import { Type } from 'typebox';
import { FEED_SOURCES } from '../feeds/feed-records.domain.ts';
import type { ConsoleSection, ConsoleUser } from './console-access.ts';

declare module 'fastify' {
  interface FastifyRequest {
    consoleUser: ConsoleUser;
  }
  interface FastifyContextConfig {
    /** The console section a route belongs to (none: every signed-in role). */
    consoleSection?: ConsoleSection;
    /** Inside its section, for operators only. */
    operatorOnly?: boolean;
  }
}

/** A route's place in the console: its section, and whether only operators may call it. */
export const section = (s: ConsoleSection, operatorOnly = false) => ({ consoleSection: s, operatorOnly });

export const COMMON = { tags: ['console'], security: [{ bearer: [] }] };

export const iso = (ms: number): string => new Date(ms).toISOString();
export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

export const Iso = Type.String({ format: 'date-time' });
export const IsoOrNull = Type.Union([Iso, Type.Null()]);
export const Source = Type.Union(FEED_SOURCES.map((s) => Type.Literal(s)));
export const Level = Type.Union([Type.Literal('low'), Type.Literal('medium'), Type.Literal('high')]);
export const BatchId = Type.String({ pattern: '^[A-Za-z0-9._-]{1,128}$' });
export const ProvinceCode = Type.String({ pattern: '^[0-9]{6}$' });
export const RuleSetDocument = Type.Object({}, { additionalProperties: true, description: 'A rule set' });
export const Problem = Type.Object({ path: Type.String(), message: Type.String() });
/** A count in a query string: 1 to 500, 1 to 1000. */
export const UP_TO_500 = '^([1-9][0-9]?|[1-4][0-9]{2}|500)$';
export const UP_TO_1000 = '^([1-9][0-9]{0,2}|1000)$';
