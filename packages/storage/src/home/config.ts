import {
  type AppConfig,
  type AppConfigInput,
  checkAppConfig,
  err,
  JidoError,
  parseJson,
  type Result,
} from '@jido-code/core-schema';
import type { FileSystem } from '../fs/file-system.js';
import { readFileIfExists } from '../io/read-file.js';

const maxConfigBytes = 64 * 1024;

/**
 * Reads `<home>/config.json` (optional, validated), applies `JIDO_*` environment variables over
 * it, then `overrides` over both. Never throws.
 */
export async function loadAppConfig(
  fs: FileSystem,
  configFile: string,
  environment: Readonly<Record<string, string | undefined>>,
  overrides: Partial<AppConfigInput> = {},
): Promise<Result<AppConfig>> {
  let file: unknown;
  try {
    const bytes = await readFileIfExists(fs, configFile, maxConfigBytes, 'the configuration file');
    if (bytes !== undefined) {
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch (cause) {
        return err(new JidoError('invalid_config', 'The configuration file is not valid UTF-8.', { cause }));
      }
      const parsed = parseJson(text, { maxDepth: 8 });
      if (!parsed.ok) {
        return err(
          new JidoError('invalid_config', 'The configuration file is not valid JSON.', {
            cause: parsed.error,
          }),
        );
      }
      file = parsed.value;
    }
  } catch (error) {
    return err(error as JidoError);
  }
  const resolved = await checkAppConfig(file, environment);
  if (!resolved.ok) return resolved;
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  if (Object.keys(defined).length === 0) return resolved;
  return checkAppConfig({ ...resolved.value, ...defined });
}
