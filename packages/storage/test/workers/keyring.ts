import { unwrap } from '@jido-code/core-schema';
import { openStore, waitUntil } from './open-store.js';

/** argv: home, start time. Opens (creating if needed) the keyring at the agreed moment and signs a payload. */
const [home = '', startAt = '0'] = process.argv.slice(2);
const store = await openStore(home);
await waitUntil(Number(startAt));
const keyring = unwrap(await store.keyring());
const payload = `signed by ${process.pid}`;
process.stdout.write(
  `${JSON.stringify({ keyId: keyring.signingKeyId, payload, signature: keyring.sign(payload) })}\n`,
);
