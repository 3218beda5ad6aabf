// What both provider-stub suites share: the same three-message session asked through the real AI
// SDK provider that `chooseModel` picks, and a console that records instead of printing.
import { vi } from 'vitest';
import { askModel, chooseModel, providerEnvironment } from '../src/index.js';

type ModelSettings = Parameters<typeof chooseModel>[0];

/**
 * Asks `settings`' model about a fixed session, collecting the streamed pieces in order;
 * `onPiece` sees them as they arrive (to abort mid-stream through `signal`).
 */
export async function askThrough(
  settings: ModelSettings,
  environment: Record<string, string>,
  during: { signal?: AbortSignal; onPiece?: (pieces: readonly string[]) => void } = {},
) {
  const chosen = chooseModel(settings, providerEnvironment(environment));
  if (!chosen.ok) throw chosen.error;
  const pieces: string[] = [];
  const outcome = await askModel({
    model: chosen.value,
    session: {
      name: 'stub session',
      projectPath: '/work/project',
      todos: [{ content: 'ship it', status: 'pending', active_form: 'Shipping it' }],
      messages: [
        { id: '1', role: 'user', content: 'first question', timestamp: '2026-11-30T00:00:00.000Z' },
        { id: '2', role: 'assistant', content: 'first answer', timestamp: '2026-11-30T00:00:01.000Z' },
        { id: '3', role: 'user', content: 'second question', timestamp: '2026-11-30T00:00:02.000Z' },
      ],
    },
    signal: during.signal,
    onText: (text) => {
      pieces.push(text);
      during.onPiece?.(pieces);
    },
  });
  return { outcome, pieces };
}

/** Everything the code under test writes to the console, kept instead of printed. */
export function recordConsole(): unknown[] {
  const logged: unknown[] = [];
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...values: unknown[]) => {
      logged.push(values);
    });
  }
  return logged;
}
