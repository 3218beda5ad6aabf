import { encodeJasonPretty, type JasonValue, jasonFloat } from './jason-pretty.js';
import { jidoCodeSignature } from './jidocode-key.js';

/** How a generated JidoCode file carries its signature. */
export type JidoCodeSigning = 'signed' | 'unsigned' | 'null-signature';

/** A JidoCode session document, without its signature, as the generator built it. */
export interface JidoCodeDocument {
  readonly id: string;
  /** The document, conversation newest-first as JidoCode writes it. */
  readonly document: { readonly [key: string]: JasonValue };
  /** Message ids oldest-first: the order a reader must present. */
  readonly messageIdsOldestFirst: readonly string[];
  readonly messageCount: number;
  readonly todoCount: number;
}

/** Options of {@link generateJidoCodeDocument}. */
export interface JidoCodeDocumentOptions {
  /** Messages to write (default 4). */
  readonly messageCount?: number | undefined;
  /** Todos to write (default 2). */
  readonly todoCount?: number | undefined;
  /** Put an ESC and other control characters in the text (default true). */
  readonly controlCharacters?: boolean | undefined;
  /** Write the conversation oldest-first instead of JidoCode's usual newest-first. */
  readonly oldestFirst?: boolean | undefined;
  /** Session name (default `jidocode-<n>`). */
  readonly name?: string | undefined;
  /** Project folder (default `/home/someone/projects/app-<n>`, which does not exist). */
  readonly projectPath?: string | undefined;
  /** The content of the first messages, oldest-first (the rest are generated). */
  readonly messageTexts?: readonly string[] | undefined;
  /** The content of the first todos (the rest are generated). */
  readonly todoTexts?: readonly string[] | undefined;
}

function hex(random: () => number, length: number): string {
  let text = '';
  while (text.length < length) text += Math.floor(random() * 16).toString(16);
  return text;
}

/** A canonical lowercase UUID v4 from `random`. */
export function randomUuid(random: () => number): string {
  const digits = hex(random, 32).split('');
  digits[12] = '4';
  digits[16] = '89ab'[Math.floor(random() * 4)] ?? '8';
  const text = digits.join('');
  return `${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${text.slice(20)}`;
}

/** ISO 8601 UTC with microseconds, as Elixir's DateTime writes it. */
export function microsecondTimestamp(epochMicros: number): string {
  const millis = Math.floor(epochMicros / 1000);
  const micros = String(epochMicros % 1_000_000).padStart(6, '0');
  return `${new Date(millis).toISOString().slice(0, 19)}.${micros}Z`;
}

const roles = ['user', 'assistant', 'tool', 'assistant'] as const;
let generated = 0;

/**
 * A JidoCode session document as JidoCode builds it: version 1, microsecond timestamps, 16-hex
 * message ids, float temperature, `language`, `prompt_history`, per-message `usage` and a non-zero
 * `cumulative_usage`, conversation newest-first.
 */
export function generateJidoCodeDocument(
  random: () => number,
  options: JidoCodeDocumentOptions = {},
): JidoCodeDocument {
  generated += 1;
  const messageCount = options.messageCount ?? 4;
  const todoCount = options.todoCount ?? 2;
  const control = options.controlCharacters ?? true;
  const id = randomUuid(random);
  let clock = Date.UTC(2025, 11, 16, 16, 0, 0) * 1000 + Math.floor(random() * 1_000_000);
  const tick = () => {
    clock += 1 + Math.floor(random() * 5_000_000);
    return microsecondTimestamp(clock);
  };
  const createdAt = tick();
  const messages = Array.from({ length: messageCount }, (_, index) => {
    const role = roles[index % roles.length] ?? 'user';
    const text =
      options.messageTexts?.[index] ??
      `message ${index}${control && index % 2 === 1 ? ' \u001b[31mred\u001b[0m\ttab\u0001' : ''}`;
    const usage =
      role === 'assistant'
        ? { input_tokens: 10 + index, output_tokens: 5, total_cost: jasonFloat(index === 1 ? 1 : 0.0125) }
        : undefined;
    return { id: hex(random, 16), role, content: text, timestamp: tick(), ...(usage ? { usage } : {}) };
  });
  const updatedAt = tick();
  const todos = Array.from({ length: todoCount }, (_, index) => ({
    content: options.todoTexts?.[index] ?? `Todo ${index}${control ? ' \u001b' : ''}`,
    status: (['pending', 'in_progress', 'completed'] as const)[index % 3] ?? 'pending',
    active_form: `Doing todo ${index}`,
  }));
  const written = options.oldestFirst ? messages : [...messages].reverse();
  const document = {
    version: 1,
    id,
    name: options.name ?? `jidocode-${generated}`,
    project_path: options.projectPath ?? `/home/someone/projects/app-${generated}`,
    config: {
      provider: 'anthropic',
      model: 'claude-3-5-sonnet',
      temperature: jasonFloat(1),
      max_tokens: 4096,
    },
    created_at: createdAt,
    updated_at: updatedAt,
    closed_at: updatedAt,
    conversation: written,
    todos,
    language: 'elixir',
    prompt_history: messages.filter((message) => message.role === 'user').map((message) => message.content),
    ...(messageCount > 1
      ? { cumulative_usage: { input_tokens: 21, output_tokens: 10, total_cost: jasonFloat(0.0375) } }
      : {}),
  };
  return {
    id,
    document,
    messageIdsOldestFirst: messages.map((message) => message.id),
    messageCount,
    todoCount,
  };
}

/**
 * The bytes of a JidoCode session file: the pretty encoding, with `signature` (base64 HMAC over
 * the pretty encoding without it), without it, or as `null`.
 */
export function renderJidoCodeFile(
  document: { readonly [key: string]: JasonValue },
  signing: JidoCodeSigning,
  key: Uint8Array | undefined,
): string {
  if (signing === 'unsigned') return encodeJasonPretty(document);
  if (signing === 'null-signature') return encodeJasonPretty({ ...document, signature: null });
  if (key === undefined) throw new Error('renderJidoCodeFile: a signed file needs the key');
  const signature = jidoCodeSignature(key, encodeJasonPretty(document));
  return encodeJasonPretty({ ...document, signature });
}
