import { createRequire } from 'node:module';

/**
 * The CLI's version, read from its package.json: one folder up from `src/` and `dist/`, two from
 * the bundle's `dist/chunks/`, where the command line's code lands when `jido` does not answer
 * `--version` from its entry file.
 */
export function cliVersion(): string {
  const manifest = /\/dist\/chunks\/[^/]+$/.test(import.meta.url) ? '../../package.json' : '../package.json';
  const parsed = createRequire(import.meta.url)(manifest) as { version?: unknown };
  return typeof parsed.version === 'string' ? parsed.version : '0.0.0';
}
