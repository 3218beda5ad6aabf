// Merges the chunks a command starts with into one module per group (scripts/bundle.mjs).
//
// esbuild's code splitting puts each set of modules shared by the same dynamic imports in a chunk
// of its own: `jido sessions list` loaded seventeen of them, and Node's ESM loader spends about a
// third of a millisecond on each (resolve, read, compile, link) whatever its size, a fifth of the
// command's own time. A group is what some sources' chunks load statically, less what an earlier
// group took (so no dynamic import is merged that a command may never make); it becomes one module,
// rebundled from esbuild's output, written where the group's first chunk was. Every other chunk that
// imported a merged chunk imports its group's module instead, so each module still exists once in a
// process (one JidoError class, one store, one lazy crypto), and a name two chunks of a group both
// export stops the build rather than picking one.
import { basename, dirname, relative, resolve } from 'node:path';
import { build } from 'esbuild';

/** `./x.js` or `../x.js`: how `from` names `to` in an import. */
function specifier(from, to) {
  const path = relative(dirname(from), to);
  return path.startsWith('.') ? path : `./${path}`;
}

/**
 * Each group's chunks (absolute paths, the group's module first) and the module each merged chunk
 * now lives in.
 */
function groupChunks(metafile, workDir, groups) {
  const outputs = Object.entries(metafile.outputs);
  const home = new Map();
  const members = groups.map((sources) => {
    const group = [];
    const visit = (output) => {
      const path = resolve(workDir, output);
      if (home.has(path)) return;
      home.set(path, undefined);
      group.push(path);
      for (const imported of metafile.outputs[output].imports) {
        if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
      }
    };
    for (const source of sources) {
      const output = outputs.find(([, info]) => info.entryPoint === source);
      if (output === undefined) throw new Error(`merge-start: no chunk for ${source}`);
      visit(output[0]);
    }
    for (const path of group) home.set(path, group[0]);
    return group;
  });
  return { members, home };
}

/** One group's chunks bundled into one module at `members[0]`, exporting all they export. */
async function mergeGroup(members, { text, home, exportsOf, buildOptions }) {
  const target = members[0];
  const owners = new Map();
  const reexports = members.map((path) => {
    for (const name of exportsOf(path)) {
      const owner = owners.get(name);
      if (owner !== undefined) {
        throw new Error(`merge-start: ${basename(owner)} and ${basename(path)} both export ${name}`);
      }
      owners.set(name, path);
    }
    return `export { ${exportsOf(path).join(', ')} } from ${JSON.stringify(path)};`;
  });
  const inGroup = (path) => home.get(path) === target;
  // Chunks are named relative to the module's folder: the merged code names no folder of this machine.
  const built = (path) => ({ path: relative(dirname(target), path), namespace: 'built' });
  const { outputFiles } = await build({
    ...buildOptions,
    stdin: { contents: reexports.join('\n'), resolveDir: dirname(target) },
    outfile: target,
    write: false,
    plugins: [
      {
        name: 'built-chunks',
        setup(plugin) {
          plugin.onResolve({ filter: /^\// }, (args) => (inGroup(args.path) ? built(args.path) : undefined));
          plugin.onResolve({ filter: /^\.\.?\// }, (args) => {
            const path = resolve(args.resolveDir, args.path);
            // The module imports itself: its code already ran, and esbuild would otherwise wrap each
            // chunk in a lazy initializer to keep the import's order of evaluation.
            if (inGroup(path) && args.kind === 'dynamic-import')
              return { path: specifier(target, target), external: true };
            if (inGroup(path)) return built(path);
            if (!text.has(path)) throw new Error(`merge-start: ${args.path} is not an output of the build`);
            // A chunk outside the group (a dynamic import, or an earlier group's): its module.
            return { path: specifier(target, home.get(path) ?? path), external: true };
          });
          plugin.onLoad({ filter: /.*/, namespace: 'built' }, (args) => {
            const path = resolve(dirname(target), args.path);
            return { contents: text.get(path), loader: 'js', resolveDir: dirname(path) };
          });
        },
      },
    ],
  });
  return outputFiles[0].text;
}

/**
 * Replaces, in `files` (esbuild's output files with their final text, from a build with
 * `metafile`), the chunks of each group of sources by one module. Returns the files to write.
 */
export async function mergeStart(files, metafile, { workDir, groups, buildOptions }) {
  const { members, home } = groupChunks(metafile, workDir, groups);
  const text = new Map(files.map((file) => [file.path, file.text]));
  const exportsOf = (path) => metafile.outputs[relative(workDir, path)].exports;
  const result = [];
  for (const group of members) {
    result.push({ path: group[0], text: await mergeGroup(group, { text, home, exportsOf, buildOptions }) });
  }
  for (const file of files) {
    if (home.has(file.path)) continue;
    let code = file.text;
    for (const [member, module] of home) {
      code = code
        .split(JSON.stringify(specifier(file.path, member)))
        .join(JSON.stringify(specifier(file.path, module)));
    }
    result.push({ path: file.path, text: code });
  }
  // No import may still name a merged chunk: it is not written, and a second copy would split state.
  const written = new Set(result.map((file) => file.path));
  for (const { path, text: code } of result) {
    for (const member of home.keys()) {
      const name = basename(member).replaceAll('.', '\\.');
      if (!written.has(member) && new RegExp(`["'](\\.\\.?/)+(chunks/)?${name}["']`).test(code)) {
        throw new Error(`merge-start: ${relative(workDir, path)} still imports ${basename(member)}`);
      }
    }
  }
  return result;
}
