// Driven by src/worker-process.test.ts. Modes:
//   echo   waits 200 ms (so the parent's first lines queue up), then answers "got <line>" to every
//          line until "exit", or prints "end" when stdin ends
//   fail   writes "boom" to stderr and exits with code 3
import { setTimeout as sleep } from 'node:timers/promises';
import { stdinLines } from '../../src/worker-process.js';

const mode = process.argv[2];
if (mode === 'fail') {
  process.stderr.write('boom\n');
  process.exit(3);
}
const input = stdinLines();
await sleep(200);
for (;;) {
  const line = await input.next();
  if (line === undefined) {
    process.stdout.write('end\n');
    break;
  }
  if (line === 'exit') break;
  process.stdout.write(`got ${line}\n`);
}
input.close();
