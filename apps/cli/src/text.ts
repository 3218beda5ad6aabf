import { formatRelativeTime, printable } from '@jido-code/commands';

/**
 * Text from a session file made safe for a terminal, keeping its line breaks: tabs become two
 * spaces and every other control character a `?` (see `printable`).
 */
export function safeLines(text: string): string[] {
  return text.split(/\r?\n/).map((line) => printable(line.replace(/\t/g, '  ')));
}

/** `2025-01-01T10:00:00.000Z (5 min ago)`, or `never` for a missing time. */
export function describeTime(timestamp: string | null | undefined, now: Date): string {
  if (timestamp === null || timestamp === undefined) return 'never';
  return `${timestamp} (${formatRelativeTime(timestamp, now)})`;
}
