import { readFileSync } from 'node:fs';

/**
 * The version of the strata-ppl package, read from the nearest package.json
 * above this file (the same from src/ under a test runner and from dist/).
 */
export function packageVersion(): string {
  for (let up = '../'; up.length <= 5 * 3; up += '../') {
    try {
      const json = JSON.parse(readFileSync(new URL(`${up}package.json`, import.meta.url), 'utf8')) as { name?: unknown; version?: unknown };
      if (json.name === 'strata-ppl') return typeof json.version === 'string' ? json.version : 'unknown';
    } catch {
      // not at this level: keep walking up
    }
  }
  return 'unknown';
}
