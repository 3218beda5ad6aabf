import { printable, todoMarkers } from '@jido-code/commands';
import type { Message, UnsignedSession } from '@jido-code/core-schema';
import { safeLines } from './text.js';

const roleTitles: Readonly<Record<Message['role'], string>> = {
  user: 'User',
  assistant: 'Assistant',
  system: 'System',
  tool: 'Tool',
};

/**
 * Text on one Markdown line: line breaks folded, so a name cannot start a new block, and control
 * characters replaced, so the transcript is as safe to `cat` as `jido sessions show` is to read.
 */
function inline(text: string): string {
  return printable(text.replace(/[\r\n]+/g, ' '));
}

/**
 * A readable Markdown transcript of a session: title, metadata, todos, then every message with
 * its role and time. Message bodies keep their lines (they are usually Markdown already) but, like
 * every other field, no control character (ESC, NUL, bidi overrides become `?`, a tab two spaces),
 * whether written to stdout or to a file with `--output`. The JSON export keeps the text exact.
 */
export function markdownTranscript(session: UnsignedSession): string {
  const lines = [
    `# ${inline(session.name)}`,
    '',
    `- Id: \`${session.id}\``,
    `- Project: \`${inline(session.project_path)}\``,
    `- Model: ${inline(session.config.provider)} / ${inline(session.config.model)}`,
    `- Created: ${session.created_at}`,
    `- Updated: ${session.updated_at}`,
    `- Closed: ${session.closed_at ?? 'not closed'}`,
    ...(session.last_resumed_at ? [`- Last resumed: ${session.last_resumed_at}`] : []),
    ...(session.recovered_at ? [`- Recovered: ${session.recovered_at}`] : []),
    `- Messages: ${session.conversation.length}`,
    '',
    '## Todos',
    '',
  ];
  if (session.todos.length === 0) lines.push('No todos.');
  for (const todo of session.todos) {
    lines.push(`- ${todoMarkers[todo.status]} ${inline(todo.content)}`);
  }
  lines.push('', '## Messages', '');
  if (session.conversation.length === 0) lines.push('No messages.', '');
  for (const message of session.conversation) {
    lines.push(
      `### ${roleTitles[message.role]} · ${inline(message.timestamp)}`,
      '',
      ...safeLines(message.content),
      '',
    );
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** The plain (unsigned) session as pretty JSON, importable with `jido sessions import`. */
export function jsonExport(session: UnsignedSession): string {
  return `${JSON.stringify(session, null, 2)}\n`;
}
