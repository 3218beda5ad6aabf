import { isRecord, stringOf } from '../lines.js';
import { countSkip, type FileReport } from '../report.js';

const injectedPrefixes = [
  '<environment_context>',
  '<user_instructions>',
  '<permissions instructions>',
  '<INSTRUCTIONS>',
  '# AGENTS.md instructions',
  '<user_shell_command>',
  '<turn_aborted>',
];

/** True for context Codex injects as a user message rather than a prompt the user typed. */
export function isInjectedText(text: string): boolean {
  const start = text.trimStart();
  return injectedPrefixes.some((prefix) => start.startsWith(prefix));
}

/** The user's own request out of a prompt the IDE extension wrapped in its context. */
export function userRequestText(text: string): string {
  const marker = '## My request for Codex:';
  const at = text.indexOf(marker);
  return at === -1 ? text : text.slice(at + marker.length).trim();
}

/** The text of a `message` item's content blocks; images are counted and left out. */
export function messageText(content: unknown, report: FileReport): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const parts: string[] = [];
  for (const block of content) {
    if (!isRecord(block)) continue;
    if (block.type === 'input_text' || block.type === 'output_text' || block.type === 'text')
      parts.push(stringOf(block.text) ?? '');
    else if (block.type === 'input_image') countSkip(report, 'image');
    else if (block.type === 'input_file') countSkip(report, 'attachment');
  }
  return parts.join('\n');
}

/** The text of a tool output: a string, `{output}` JSON (0.40), or content blocks. */
export function toolOutputText(output: unknown, report: FileReport): string {
  if (typeof output === 'string') {
    if (output.startsWith('{"output"')) {
      try {
        const parsed: unknown = JSON.parse(output);
        if (isRecord(parsed) && typeof parsed.output === 'string') return parsed.output;
      } catch {
        // not the wrapped form: the string is the output
      }
    }
    return output;
  }
  if (isRecord(output)) return toolOutputText(output.content ?? output.output, report);
  return messageText(output, report);
}
