import { openStore } from './open-store.js';

/** argv: home, session JSON. Saves it (tests arm JIDO_TEST_CRASH_POINT to die mid-way). */
const [home = '', json = '{}'] = process.argv.slice(2);
const store = await openStore(home);
const result = await store.save(JSON.parse(json));
if (!result.ok) {
  process.stderr.write(`save failed: ${result.error.code}\n`);
  process.exit(1);
}
process.stdout.write('saved\n');
