import { type CommandContext, printJson } from '../context.js';
import { exitOk } from '../exit-codes.js';
import { openStore } from '../store.js';

/** `jido keys rotate`: a new signing key; sessions signed with older keys still verify. */
export async function keysRotateCommand(context: CommandContext): Promise<number> {
  const store = await openStore(context);
  const rotated = await store.rotateKey();
  if (!rotated.ok) throw rotated.error;
  const keyring = await store.keyring();
  if (!keyring.ok) throw keyring.error;
  const keys = keyring.value.keys();
  const active = keys.filter((key) => key.retiredAt === undefined).length;
  if (context.options.json) {
    printJson(context, {
      key_id: rotated.value.keyId,
      created_at: rotated.value.createdAt,
      keys: keys.length,
      active_keys: active,
    });
  } else {
    context.out(
      `New signing key ${rotated.value.keyId} is in use. ${active} active keys: sessions signed with older keys still verify.`,
    );
  }
  return exitOk;
}
