// The fallback subject of "resume end to end" when the CLI cannot be driven: a fresh process that
// opens the store and resumes then closes one session through SessionManager, as `jido resume`
// followed by `/quit` would. Usage: resume-child.ts <home> <session id>
import { SessionManager } from '@jido-code/session';
import { SessionStore } from '@jido-code/storage';

const [home, id] = process.argv.slice(2);
if (home === undefined || id === undefined) {
  process.stderr.write('usage: resume-child.ts <home> <session id>\n');
  process.exit(2);
}
const opened = await SessionStore.open({ home });
if (!opened.ok) throw opened.error;
const manager = new SessionManager({ store: opened.value });
const resumed = await manager.resume(id);
if (!resumed.ok) throw resumed.error;
const closed = await manager.close(id);
if (!closed.ok || !closed.value.saved) throw new Error('the resumed session was not saved on close');
