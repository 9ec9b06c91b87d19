/**
 * The `strata` command run from the TypeScript sources (by vite-node), for
 * tests that need a second, real process: the CLI exactly as bin/strata.js
 * runs it, without depending on a build in dist/ being current.
 */
import { main } from '../../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
