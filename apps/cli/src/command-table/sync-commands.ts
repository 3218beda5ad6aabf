import type { CommandDefinition } from './definition.js';

const option = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** `jido sessions sync`: its entry of the command table (kept here: the table is long enough). */
export const syncDefinition: CommandDefinition = {
  path: ['sessions', 'sync'],
  description: 'copy sessions between this store and another (a postgres:// URL or a home folder)',
  helpText: `Exactly one of --to or --from. This store is the one every command uses (--store, JIDO_STORE_URL,
store_url in config.json, else the home). A session missing on the target is copied. For the same id
with different content the newer updated_at wins (a tie: the source) and the other version is moved to
the trash of its own side first, so nothing is lost. Sessions only on the target, identical ones,
unreadable ones and ones open in another process are kept. Each session is re-signed by the store it
is saved in. Exit 1 when a session could not be copied or updated (its line says why).

Examples:
  jido sessions sync --to postgres://jido@db.internal/jido
  jido --store postgres://jido@db.internal/jido sessions sync --from ~/.jido_code --dry-run`,
  options: [
    { flags: '--to <url|dir>', description: 'copy from this store to that one' },
    { flags: '--from <url|dir>', description: 'copy from that store into this one' },
    { flags: '--dry-run', description: 'report what would change; change nothing' },
  ],
  run: async (context, input) => {
    const to = option(input.options.to);
    const from = option(input.options.from);
    return (await import('../commands/sync.js')).syncCommand(context, {
      ...(to === undefined ? {} : { to }),
      ...(from === undefined ? {} : { from }),
      dryRun: input.options.dryRun === true,
    });
  },
};
