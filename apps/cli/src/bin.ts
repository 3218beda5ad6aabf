#!/usr/bin/env node
import { run } from './index.js';

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // run() reports every error itself; this is the last resort for a bug in the reporting.
    process.stderr.write(`jido: An unexpected error occurred. (${String(error)})\n`);
    process.exitCode = 1;
  },
);
