import { describe, expect, it } from 'vitest';
import {
  formatRelativeTime,
  formatSessionTable,
  formatTodos,
  helpText,
  parseLine,
  resolveTarget,
  sanitizeError,
  shortenPath,
  shortId,
} from './index.js';
import { tokenize, usageError, userMessages } from './internal.js';

describe('public entry point', () => {
  it('exports the parser, resolver, formatters and sanitizer', () => {
    const exported = [
      parseLine,
      tokenize,
      usageError,
      resolveTarget,
      formatRelativeTime,
      formatSessionTable,
      formatTodos,
      shortenPath,
      shortId,
      helpText,
      sanitizeError,
    ];
    for (const value of exported) expect(typeof value).toBe('function');
    expect(Object.keys(userMessages).length).toBeGreaterThan(0);
  });
});
