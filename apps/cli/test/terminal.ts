import { type ChildProcess, spawn } from 'node:child_process';
import { childEnv, cliRoot, finished, type JidoRun, jidoCommand, waitForOutput } from './jido.js';

/** util-linux `script` gives the CLI a real pseudo-terminal without a native module. */
export const scriptPath = '/usr/bin/script';

function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** What the terminal showed, without escape sequences and carriage returns. */
export function screenText(raw: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escape sequences are the point
  return raw.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
}

/** A jido run in a pseudo-terminal. */
export interface Terminal {
  readonly child: ChildProcess;
  /** Raw bytes the terminal received, escape sequences included. */
  raw(): string;
  /** Waits until the screen text contains `text` (after `from` characters of it). */
  waitFor(text: string, from?: number): Promise<void>;
  type(keys: string): void;
  done: Promise<JidoRun>;
}

/**
 * Runs jido on `home` in a pseudo-terminal (100×40 unless `size` says otherwise) and lets the test
 * type into it.
 */
export function openTerminal(
  home: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
  size: { readonly cols: number; readonly rows: number } = { cols: 100, rows: 40 },
): Terminal {
  const command = `stty cols ${size.cols} rows ${size.rows} && exec ${[...jidoCommand(), ...args].map(shellQuote).join(' ')}`;
  const child = spawn(scriptPath, ['-qfec', command, '/dev/null'], {
    cwd: cliRoot,
    env: { ...childEnv(home, env), TERM: 'xterm-256color' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let raw = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    raw += chunk.toString('utf8');
  });
  const done = finished(child);
  return {
    child,
    raw: () => raw,
    async waitFor(text, from = 0) {
      await waitForOutput(
        () => screenText(raw).slice(from),
        (screen) => screen.includes(text),
      );
    },
    type(keys) {
      child.stdin?.write(keys);
    },
    done,
  };
}
