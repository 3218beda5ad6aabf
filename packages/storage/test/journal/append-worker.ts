// Child process of kill-nine.test.ts. It loads, prints `loaded` and waits for a line on stdin (so
// the parent can start the next worker while the current one runs), then continues the journal of
// a session and appends to it from a few concurrent lanes until killed, printing
// `<seq> <lane>:<count>` for every acknowledged append. stdout writes to a pipe are synchronous on
// Linux, so a printed line was acknowledged before the kill.
// Usage: append-worker.ts <journal dir> <session id>
import { nodeFileSystem } from '../../src/fs/file-system.js';
import { JournalDirectory } from '../../src/journal/index.js';
import { hmacSigner } from './journal-test-kit.js';

const [dir, sessionId] = process.argv.slice(2);
if (dir === undefined || sessionId === undefined) {
  process.stderr.write('usage: append-worker.ts <dir> <session id>\n');
  process.exit(2);
}
process.stdout.write('loaded\n');
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
process.stdin.pause();
const opened = await new JournalDirectory({ fs: nodeFileSystem, dir, signer: hmacSigner() }).open(sessionId);
if (!opened.ok) {
  process.stderr.write(`open failed: ${opened.error.code} ${JSON.stringify(opened.error.details)}\n`);
  process.exit(3);
}
const writer = opened.value;
process.stdout.write('ready\n');

// A safety stop in case the parent dies without killing this process.
const deadline = Date.now() + 10_000;
async function lane(name: number): Promise<void> {
  for (let count = 0; Date.now() < deadline; count++) {
    const appended = await writer.append('message', {
      lane: name,
      count,
      text: 'y'.repeat((count * 37) % 300),
    });
    if (!appended.ok) {
      process.stderr.write(`append failed: ${appended.error.code}\n`);
      process.exit(4);
    }
    process.stdout.write(`${appended.value.seq} ${name}:${count}\n`);
  }
}
await Promise.all([0, 1, 2, 3].map(lane));
await writer.close();
