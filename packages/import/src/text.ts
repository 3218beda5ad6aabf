/** The mark appended to text cut to a limit. */
export function cutMark(removed: number): string {
  return `[… cut by jido import: ${removed} more characters]`;
}

/** Text cut to `limit` characters (mark included) when longer; unchanged otherwise. */
export function cutText(text: string, limit: number): { text: string; cut: boolean } {
  if (text.length <= limit) return { text, cut: false };
  const keep = Math.max(0, limit - cutMark(text.length).length - 1);
  return { text: `${text.slice(0, keep)}\n${cutMark(text.length - keep)}`, cut: true };
}

/** One line of text, collapsed and cut, for names and summaries. */
export function oneLine(text: string, limit: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= limit ? flat : `${flat.slice(0, Math.max(0, limit - 1)).trimEnd()}…`;
}

/** JSON of a tool's arguments (or the string as it is), cut to the limit. */
function summarizeArguments(value: unknown, limit: number): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else {
    try {
      text = JSON.stringify(value) ?? '';
    } catch {
      text = String(value);
    }
  }
  return oneLine(text, limit);
}

/** The compact text of a tool call message. */
export function toolCallText(name: string, argumentsValue: unknown, limit: number): string {
  return `tool call ${name}: ${summarizeArguments(argumentsValue, limit)}`;
}

/** The compact text of a tool result message. */
export function toolResultText(name: string, result: string, limit: number): string {
  const { text } = cutText(result.trim(), limit);
  return `tool result ${name}: ${text}`;
}
