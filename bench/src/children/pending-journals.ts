// A child of the "recovery" figure: opens <sessions> sessions through SessionManager (each on its
// own folder under <projects>), sends <messages> messages to each and waits for every one to be
// acknowledged (journaled), then prints "ready" and waits to be killed. The parent SIGKILLs it, so
// the home keeps one pending journal per session, as a crashed shell leaves it.
// Usage: pending-journals.ts <home> <projects> <sessions> <messages>
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SessionManager } from '@jido-code/session';
import { SessionStore } from '@jido-code/storage';

const [home = '', projects = '', sessionsText = '0', messagesText = '0'] = process.argv.slice(2);
const sessions = Number(sessionsText);
const messages = Number(messagesText);
const opened = await SessionStore.open({ home });
if (!opened.ok) throw opened.error;
const manager = new SessionManager({ store: opened.value, maxOpenSessions: sessions });
for (let index = 0; index < sessions; index++) {
  const projectPath = join(projects, `project-${index}`);
  await mkdir(projectPath, { recursive: true, mode: 0o700 });
  const created = await manager.create({ projectPath, name: `pending ${index}` });
  if (!created.ok) throw created.error;
  for (let count = 1; count <= messages; count++) {
    const role = count % 2 === 1 ? 'user' : 'assistant';
    const added = await created.value.addMessage(
      role,
      `${role} message ${count} of session ${index}: a line of ordinary length about the code in question.`,
    );
    if (!added.ok) throw added.error;
  }
}
process.stdout.write('ready\n');
// Stay alive, holding every lease, until the parent kills this process.
setInterval(() => undefined, 60_000);
