/** Where code that needs the time gets it: passed in, so tests freeze and move it (test/helpers/context.ts). */
export type Clock = () => Date;

/** The system clock. */
export const systemClock: Clock = () => new Date();
