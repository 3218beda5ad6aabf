import { isAbsolute, resolve } from 'node:path';

/**
 * What a user typed as a project folder, made absolute: `~` and `~/…` expand to `userHome`, a
 * relative path resolves against `cwd`, and `.`/`..` segments and trailing slashes are removed.
 */
export function expandProjectPath(input: string, cwd: string, userHome: string): string {
  const trimmed = input.trim();
  const expanded =
    trimmed === '~' ? userHome : trimmed.startsWith('~/') ? `${userHome}${trimmed.slice(1)}` : trimmed;
  return isAbsolute(expanded) ? resolve(expanded) : resolve(cwd, expanded);
}
