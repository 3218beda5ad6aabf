import { spawn } from 'node:child_process';

/** What a finished child printed. */
export interface ProcessOutput {
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `node <args>` to completion with `stdin` written and closed; rejects on a non-zero exit with
 * the start of its stderr.
 */
export function runNode(
  args: readonly string[],
  options: { cwd: string; stdin?: string; env?: NodeJS.ProcessEnv },
): Promise<ProcessOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve({ stdout, stderr });
      else
        reject(
          new Error(`node ${args.join(' ')} exited with ${code ?? signal}: ${stderr.trim().slice(0, 500)}`),
        );
    });
    child.stdin.end(options.stdin ?? '');
  });
}
