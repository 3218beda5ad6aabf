import { isRecord, stringOf } from '../lines.js';
import { countSkip, type FileReport } from '../report.js';

/** The typed-prompt form of a slash command line (`<command-name>/x</command-name>…<command-args>y`). */
export function slashCommandText(text: string): string | undefined {
  const name = /<command-name>([^<]*)<\/command-name>/.exec(text)?.[1]?.trim();
  if (!name) return undefined;
  const args = /<command-args>([^<]*)<\/command-args>/.exec(text)?.[1]?.trim();
  return args ? `${name} ${args}` : name;
}

/** True for text Claude Code injects into the user's turn rather than text the user typed. */
export function isInjectedUserText(text: string): boolean {
  return /^\s*<(local-command-stdout|local-command-caveat|local-command-stderr|system-reminder)>/.test(text);
}

/** The text of a tool result's `content`: a string, or blocks whose images are counted and left out. */
export function toolResultContent(content: unknown, report: FileReport): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const parts: string[] = [];
  for (const block of content) {
    if (!isRecord(block)) continue;
    if (block.type === 'text') parts.push(stringOf(block.text) ?? '');
    else if (block.type === 'image') countSkip(report, 'image');
    else if (block.type === 'document') countSkip(report, 'attachment');
  }
  return parts.join('\n');
}
