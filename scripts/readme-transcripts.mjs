#!/usr/bin/env node
// Regenerates the README transcripts from the real CLI, or checks that they are current.
//
//   node scripts/readme-transcripts.mjs            rewrite every marked block in place
//   node scripts/readme-transcripts.mjs --check    exit 1 (with a diff) if a block is out of date
//   ... --file PATH    only this Markdown file (default: README.md and apps/cli/README.md)
//   ... --only NAME    only the block named NAME
//
// A block this script owns is a fenced block right after a marker line:
//
//   <!-- readme-transcript: NAME [cwd=repo] -->
//   ```
//   $ a command, run exactly as written by bash
//   its output (rewritten)
//   ```
//
// The `$ ` lines are the source of truth; every other line is replaced by what the commands print
// (stdout and stderr together, as on a terminal). Each block runs in its own sandbox: HOME is a new
// empty folder (so `~` and jido's default home `~/.jido_code` are fresh), `jido` on the PATH is this
// checkout's launcher (apps/cli/bin/jido.js), no colour, no JIDO_ settings from outside. The first
// command starts in HOME, or in the repository root with `cwd=repo`; a `cd` carries over to the next
// command. A command that fails without showing its status (`; echo "exit $?"`) is an error.
//
// No block ever reaches a real model provider: the provider variables (ANTHROPIC_API_KEY,
// ANTHROPIC_BASE_URL, OPENAI_API_KEY, OPENAI_BASE_URL) are removed from its environment. A block
// marked `stub=NAME` answers with a model: the script starts `scripts/readme-stub-server.mjs`, a
// local OpenAI-compatible server on 127.0.0.1 that replays the fixed replies of
// `scripts/readme-stubs/NAME.json`, sets OPENAI_BASE_URL to it for the block's commands (it prints
// as http://127.0.0.1:8080/v1), and stops it after the block. The README says so above the block.
//
// So that a regenerated README only changes when the CLI's output does, what differs from run to
// run is normalised: the sandbox HOME (a path as long, so padded columns stay aligned) prints as
// /home/you and the repository root as /home/you/jido-code; session ids (full, or their 8-character prefixes) become fixed ids in order of
// first appearance; ISO times become fixed times that keep their order. Anything else must print the
// same on every run: avoid commands whose choice depends on a tie (two sessions with the same last
// activity, such as an export and its import, are in no fixed order for `cleanup --max-count`).
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const defaultFiles = ['README.md', 'apps/cli/README.md'];
const markerPattern = /^<!-- readme-transcript: ([\w-]+)((?: [\w-]+=[\w-]+)*) -->$/;
const uuidPattern = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const timePattern = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/g;
export const shownHome = '/home/you';
export const shownRepo = '/home/you/jido-code';
/** How a `stub=NAME` block's server address prints (its real port changes from run to run). */
const shownStubUrl = 'http://127.0.0.1:8080/v1';
/** Never passed to a block: no transcript may reach a real model provider. */
const providerVariables = new Set([
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_BASE_URL',
  'OPENAI_API_KEY',
  'OPENAI_BASE_URL',
]);

/** The marked blocks of a Markdown text: name, options, and the line range of the fence's body. */
export function findBlocks(text) {
  const lines = text.split('\n');
  const blocks = [];
  for (let index = 0; index < lines.length; index++) {
    const marker = markerPattern.exec(lines[index] ?? '');
    if (marker === null) continue;
    const name = marker[1];
    if (!(lines[index + 1] ?? '').startsWith('```'))
      throw new Error(`transcript ${name}: the marker must be followed by a fenced block`);
    let end = index + 2;
    while (end < lines.length && !(lines[end] ?? '').startsWith('```')) end++;
    if (end >= lines.length) throw new Error(`transcript ${name}: the fenced block is not closed`);
    const options = Object.fromEntries(
      marker[2]
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map((pair) => pair.split('=')),
    );
    const body = lines.slice(index + 2, end);
    const commands = body.filter((line) => line.startsWith('$ ')).map((line) => line.slice(2));
    if (commands.length === 0) throw new Error(`transcript ${name}: no "$ " command line`);
    blocks.push({ name, options, start: index + 2, end, body, commands });
  }
  return blocks;
}

/** A uuid v4 derived from `index`: the same fixed ids on every run. */
function fixedId(index) {
  const hex = createHash('sha256').update(`readme-transcript-id-${index}`).digest('hex');
  const variant = '89ab'[Number.parseInt(hex[16], 16) % 4];
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Replaces what changes from run to run. `ids` are the session ids the run created (the files
 * of its jido home), so that a short prefix printed before (or without) the full id maps too.
 */
export function normalise(text, { sandboxHome, ids }) {
  let out = text.split(repo).join(shownRepo).split(sandboxHome).join(shownHome);
  const known = new Set([...ids, ...(out.match(uuidPattern) ?? [])]);
  const mapping = new Map();
  const idToken = /[0-9a-f]{8}(?:-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})?/g;
  out = out.replace(idToken, (token, offset) => {
    const before = out[offset - 1] ?? ' ';
    const after = out[offset + token.length] ?? ' ';
    if (/[0-9a-zA-Z_-]/.test(before) || /[0-9a-zA-Z_]/.test(after)) return token;
    const full = [...known].find((id) => id.startsWith(token));
    if (full === undefined) return token;
    if (!mapping.has(full)) mapping.set(full, fixedId(mapping.size));
    return mapping.get(full).slice(0, token.length);
  });
  const times = [...new Set(out.match(timePattern) ?? [])].sort();
  return out.replace(timePattern, (time) => {
    const rank = times.indexOf(time);
    const millis = Date.UTC(2026, 10, 25, 17, 33, 16, 100) + rank * 7;
    return new Date(millis).toISOString();
  });
}

function sessionIds(home) {
  const ids = [];
  for (const folder of ['sessions', 'trash']) {
    try {
      for (const name of readdirSync(join(home, '.jido_code', folder)))
        ids.push(...(name.match(uuidPattern) ?? []));
    } catch {}
  }
  return ids;
}

/**
 * A new empty HOME whose path is as long as {@link shownHome} (`/tmp/` and 4 random characters),
 * so that columns the CLI pads to a path's width stay aligned once the path is normalised.
 */
function sandboxHome() {
  for (let attempt = 0; attempt < 100; attempt++) {
    const path = `/tmp/${randomBytes(3).toString('base64url').slice(0, 4)}`;
    if (path.length !== shownHome.length) throw new Error('sandboxHome: lengths differ');
    try {
      mkdirSync(path, { mode: 0o700 });
      return path;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
  }
  throw new Error('sandboxHome: no free name under /tmp');
}

/**
 * Starts the local stub server for a `stub=NAME` block and waits (synchronously: the block's
 * commands run with spawnSync) until it has written its port.
 */
function startStub(block, sandbox) {
  const replies = join(repo, 'scripts', 'readme-stubs', `${block.options.stub}.json`);
  if (!existsSync(replies))
    throw new Error(`transcript ${block.name}: no replies file ${relative(repo, replies)}`);
  const portFile = join(sandbox, 'stub-port');
  const child = spawn(
    process.execPath,
    [join(repo, 'scripts', 'readme-stub-server.mjs'), replies, portFile],
    {
      stdio: 'ignore',
    },
  );
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let waited = 0; !existsSync(portFile); waited += 20) {
    if (waited > 30_000 || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`transcript ${block.name}: the stub server did not start`);
    }
    Atomics.wait(pause, 0, 0, 20);
  }
  const port = readFileSync(portFile, 'utf8').trim();
  return { baseUrl: `http://127.0.0.1:${port}/v1`, stop: () => child.kill('SIGKILL') };
}

/** Runs a block's commands in a fresh sandbox; returns its body lines as the CLI prints them now. */
export function runBlock(block) {
  const sandbox = mkdtempSync(join(tmpdir(), 'jido-readme-'));
  const home = sandboxHome();
  let stub;
  try {
    const bin = join(sandbox, 'bin');
    mkdirSync(bin);
    symlinkSync(join(repo, 'apps', 'cli', 'bin', 'jido.js'), join(bin, 'jido'));
    const env = {};
    for (const [key, value] of Object.entries(process.env)) {
      if (
        !key.startsWith('JIDO_') &&
        !key.startsWith('npm_') &&
        key !== 'FORCE_COLOR' &&
        !providerVariables.has(key)
      )
        env[key] = value;
    }
    Object.assign(env, { HOME: home, PATH: `${bin}:${process.env.PATH}`, NO_COLOR: '1', TZ: 'UTC' });
    if (block.options.stub !== undefined) {
      stub = startStub(block, sandbox);
      env.OPENAI_BASE_URL = stub.baseUrl;
    }
    const state = join(sandbox, 'cwd');
    let cwd = block.options.cwd === 'repo' ? repo : home;
    const lines = [];
    for (const command of block.commands) {
      const script = `exec 2>&1\ncd "$1" || exit 99\n${command}\nstatus=$?\npwd > "$2"\nexit $status\n`;
      const run = spawnSync('bash', ['-c', script, 'transcript', cwd, state], {
        env,
        cwd,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 120_000,
      });
      if (run.error) throw run.error;
      if (run.status !== 0)
        throw new Error(
          `transcript ${block.name}: "${command}" exited ${run.status}; show it with '; echo "exit $?"' or fix it:\n${run.stdout}`,
        );
      cwd = readFileSync(state, 'utf8').trim();
      lines.push(`$ ${command}`);
      const output = run.stdout.replace(/\n$/, '');
      if (output !== '') lines.push(...output.split('\n'));
    }
    const text =
      stub === undefined ? lines.join('\n') : lines.join('\n').split(stub.baseUrl).join(shownStubUrl);
    return normalise(text, { sandboxHome: home, ids: sessionIds(home) }).split('\n');
  } finally {
    stub?.stop();
    rmSync(sandbox, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  }
}

/** The file's text with every marked block (or only `only`) regenerated. */
export function regenerate(text, only) {
  const lines = text.split('\n');
  const blocks = findBlocks(text).filter((block) => only === undefined || block.name === only);
  for (const block of blocks.reverse()) {
    lines.splice(block.start, block.end - block.start, ...runBlock(block));
  }
  return { text: lines.join('\n'), names: blocks.map((block) => block.name).reverse() };
}

/**
 * A block's text with every time masked. Times are written by rank (see {@link normalise}), and two
 * events that fall in one millisecond share a rank, shifting every later time: the check compares
 * what the CLI prints, not how fast it ran.
 */
function masked(lines) {
  return lines.join('\n').replace(timePattern, '<time>');
}

function diff(name, expected, actual) {
  const out = [`transcript ${name} differs from what the CLI prints now:`];
  const length = Math.max(expected.length, actual.length);
  for (let index = 0; index < length; index++) {
    if (expected[index] === actual[index]) continue;
    if (expected[index] !== undefined) out.push(`- ${expected[index]}`);
    if (actual[index] !== undefined) out.push(`+ ${actual[index]}`);
  }
  return out.join('\n');
}

function main(argv) {
  const check = argv.includes('--check');
  const option = (flag) => {
    const at = argv.indexOf(flag);
    return at === -1 ? undefined : argv[at + 1];
  };
  const only = option('--only');
  const file = option('--file');
  const files = file === undefined ? defaultFiles.map((name) => join(repo, name)) : [file];
  let stale = 0;
  for (const path of files) {
    const text = readFileSync(path, 'utf8');
    if (check) {
      for (const block of findBlocks(text)) {
        if (only !== undefined && block.name !== only) continue;
        const actual = runBlock(block);
        if (masked(actual) === masked(block.body)) {
          console.log(`ok  ${relative(repo, path) || path}: ${block.name}`);
        } else {
          stale += 1;
          console.log(diff(block.name, block.body, actual));
        }
      }
    } else {
      const next = regenerate(text, only);
      if (next.text !== text) writeFileSync(path, next.text);
      for (const name of next.names) console.log(`wrote ${relative(repo, path) || path}: ${name}`);
    }
  }
  if (stale > 0) {
    console.log(`${stale} transcript(s) out of date: run 'pnpm readme:transcripts' and commit the README.`);
    process.exitCode = 1;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
