#!/usr/bin/env node
import { tolerateClosedOutput } from './closed-output.js';
import { cliVersion } from './version.js';

const argv = process.argv.slice(2);

// `jido --version` alone is answered here, before the CLI (commander, the command table) loads.
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`${cliVersion()}\n`);
} else {
  tolerateClosedOutput([process.stdout, process.stderr]);
  const { run } = await import('./run.js');
  run(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      // run() reports every error itself; this is the last resort for a bug in the reporting.
      process.stderr.write(`jido: An unexpected error occurred. (${String(error)})\n`);
      process.exitCode = 1;
    },
  );
}
