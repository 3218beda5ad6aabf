import { FileLock } from '../../src/locking/file-lock.js';
import { openStore } from './open-store.js';

/** argv: home, session id. Takes the session's save lock, says so, and holds it until killed. */
const [home = '', id = ''] = process.argv.slice(2);
const store = await openStore(home);
await FileLock.acquire(store.backend.fs, store.backend.layout.sessionLock(id), store.backend.lockOptions);
process.stdout.write('locked\n');
setInterval(() => undefined, 60_000);
