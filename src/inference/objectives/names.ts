/**
 * The objectives' names, in a module without tfjs so the CLI can list them
 * in `--help` without loading TensorFlow.js. Registering an objective: its
 * file, a name here, and a case in index.ts's createObjective.
 */
export const OBJECTIVE_NAMES = ['vae', 'iwae', 'tdiwae', 'miwae', 'ciwae', 'piwae', 'vimco'] as const;
export type ObjectiveName = (typeof OBJECTIVE_NAMES)[number];
