import { readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { parseJson } from '@jido-code/core-schema';
import { resolveHome } from '@jido-code/storage';
import type { CommandContext } from './context.js';
import { cliMessageError } from './errors.js';

/** Where a command's sessions are: a file home, or a PostgreSQL database. */
export type StoreLocation =
  | {
      readonly kind: 'file';
      /** The home folder; undefined: `$JIDO_CODE_HOME`, else `~/.jido_code`. */
      readonly home: string | undefined;
    }
  | {
      readonly kind: 'postgres';
      /** The connection URL, without the `schema` parameter. */
      readonly url: string;
      /** `?schema=NAME` of the URL (default: the backend's `jido`). */
      readonly schema: string | undefined;
      /** The settings of the home's `config.json` other than `store_url` (limits, policies). */
      readonly config: Readonly<Record<string, unknown>>;
    };

/** What named the store, for messages: `--store`, `JIDO_STORE_URL` or `store_url in config.json`. */
type Origin = '--store' | 'JIDO_STORE_URL' | 'store_url in config.json' | '--to' | '--from';

const maxConfigBytes = 64 * 1024;

/** True for a `postgres://` or `postgresql://` URL. */
function isPostgresUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//i.test(value.trim());
}

/**
 * The store of this run: `--store`, else `$JIDO_STORE_URL`, else `store_url` in the home's
 * `config.json` (the home of `--home`, `$JIDO_CODE_HOME` or `~/.jido_code`), else that home itself.
 * A `postgres://` or `postgresql://` value is a database; any other value is a folder used as the
 * home, like `--home` but final: its own `store_url` is not followed (a relative `store_url` is
 * relative to the home holding it). Throws a one-line `invalid_config` for a value that is neither.
 */
export async function resolveStoreLocation(context: CommandContext): Promise<StoreLocation> {
  const flag = context.options.store;
  if (flag !== undefined) return locate(context, flag, '--store', context.io.cwd);
  const variable = context.io.env.JIDO_STORE_URL;
  if (variable !== undefined && variable.trim() !== '') {
    return locate(context, variable, 'JIDO_STORE_URL', context.io.cwd);
  }
  const given = context.options.home;
  const home = resolveHome({
    home: given === undefined ? undefined : context.path(given),
    env: context.io.env,
  });
  const config = await readConfig(home);
  if (typeof config?.store_url === 'string' && config.store_url.trim() !== '') {
    return locate(context, config.store_url, 'store_url in config.json', home, config);
  }
  return { kind: 'file', home: given === undefined ? undefined : context.path(given) };
}

/** The store named by `value` (`jido sessions sync --to/--from`): a URL, or a folder from the cwd. */
export function locateStore(
  context: CommandContext,
  value: string,
  origin: '--to' | '--from',
): Promise<StoreLocation> {
  return locate(context, value, origin, context.io.cwd);
}

async function locate(
  context: CommandContext,
  value: string,
  origin: Origin,
  base: string,
  homeConfig?: Readonly<Record<string, unknown>>,
): Promise<StoreLocation> {
  const text = value.trim();
  if (isPostgresUrl(text)) {
    const config = homeConfig ?? (await readConfig(homeOf(context))) ?? {};
    const { store_url: _ignored, ...settings } = config;
    return { kind: 'postgres', ...parsePostgresUrl(text, origin), config: settings };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    throw cliMessageError(
      'invalid_config',
      `The store named by ${origin} is neither a postgres:// (or postgresql://) URL nor a folder.`,
    );
  }
  return { kind: 'file', home: isAbsolute(text) ? text : resolve(base, text) };
}

/** The home whose `config.json` gives a PostgreSQL store its settings. */
function homeOf(context: CommandContext): string {
  const given = context.options.home;
  return resolveHome({ home: given === undefined ? undefined : context.path(given), env: context.io.env });
}

/**
 * Checks a PostgreSQL URL and takes its `schema` parameter off. The message never repeats the URL:
 * it may hold a password.
 */
function parsePostgresUrl(text: string, origin: Origin): { url: string; schema: string | undefined } {
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw cliMessageError(
      'invalid_config',
      `The store URL given by ${origin} is not a valid URL. Write it as postgres://user:password@host:port/database.`,
    );
  }
  if (parsed.hostname === '' && !parsed.searchParams.has('host')) {
    throw cliMessageError(
      'invalid_config',
      `The store URL given by ${origin} names no host. Write it as postgres://user:password@host:port/database.`,
    );
  }
  const schema = parsed.searchParams.get('schema') ?? undefined;
  parsed.searchParams.delete('schema');
  if (schema !== undefined && !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
    throw cliMessageError(
      'invalid_config',
      `The schema in the store URL given by ${origin} must be letters, digits and underscores (at most 63).`,
    );
  }
  return { url: parsed.toString(), schema };
}

/** The home's `config.json` as an object, or undefined when it is missing or not a JSON object. */
async function readConfig(home: string): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    const bytes = await readFile(join(home, 'config.json'));
    if (bytes.length > maxConfigBytes) return undefined;
    text = bytes.toString('utf8');
  } catch {
    return undefined;
  }
  const parsed = parseJson(text, { maxDepth: 8 });
  if (!parsed.ok) return undefined;
  const value: unknown = parsed.value;
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
