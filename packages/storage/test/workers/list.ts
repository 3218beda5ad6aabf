import { openStore } from './open-store.js';

/** argv: home. Lists the sessions and prints the outcome as JSON (ok, or the error code). */
const [home = ''] = process.argv.slice(2);
const store = await openStore(home);
const listing = await store.listPersisted();
process.stdout.write(
  `${JSON.stringify(listing.ok ? { ok: true, count: listing.value.sessions.length } : { ok: false, code: listing.error.code, message: listing.error.message })}\n`,
);
