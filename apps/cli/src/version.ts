import { createRequire } from 'node:module';

/** The CLI's version, read from its package.json (the same relative path from `src/` and `dist/`). */
export function cliVersion(): string {
  const manifest = createRequire(import.meta.url)('../package.json') as { version?: unknown };
  return typeof manifest.version === 'string' ? manifest.version : '0.0.0';
}
