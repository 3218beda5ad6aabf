import { readFileSync } from 'node:fs';

/**
 * The CLI's version, read from its package.json: one folder up from `src/` and `dist/`, two from
 * the bundle's `dist/chunks/`, where the command line's code lands when `jido` does not answer
 * `--version` from its entry file. Read as a file, not through `createRequire`: setting up Node's
 * CommonJS loader for one JSON file cost about 2 ms of `jido --version`.
 */
export function cliVersion(): string {
  const manifest = /\/dist\/chunks\/[^/]+$/.test(import.meta.url) ? '../../package.json' : '../package.json';
  const text = readFileSync(new URL(manifest, import.meta.url), 'utf8');
  // As require() reads JSON: a byte order mark is dropped.
  const parsed = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as { version?: unknown };
  return typeof parsed.version === 'string' ? parsed.version : '0.0.0';
}
