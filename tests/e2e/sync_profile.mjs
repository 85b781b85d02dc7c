#!/usr/bin/env node
// Where the team sync's initial pull spends its time: the bench row of bench_sync.mjs with a CDP
// CPU profile of the page from the click on Connect to `Synced`, summed by function and by phase
// (merge into the project, localStorage writes, replica, IndexedDB, rendering, …). Not part of
// the test suite; a tool for the sync row of `make bench`.
//
//   node tests/e2e/sync_profile.mjs --docs docs.json [--dist dist] [--named] [--top 40] [--out f]
//
// --named: profiles a copy of dist whose wasm is the one wasm-bindgen wrote before wasm-opt
// (target/wasm-bindgen/release/crosscheck_bg.wasm, with its function names), the SRI hash in
// index.html fixed to match. The copy is removed at the end.

import { parseArgs } from 'node:util';
import { readFile, writeFile, readdir, cp, rm, copyFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { benchSync, syncRow } from './bench_sync.mjs';
import { ROOT } from './harness.mjs';

const { values: options } = parseArgs({
  options: {
    docs: { type: 'string' },
    dist: { type: 'string', default: join(ROOT, 'dist') },
    named: { type: 'boolean', default: false },
    top: { type: 'string', default: '40' },
    out: { type: 'string', default: join(tmpdir(), 'crosscheck-sync.cpuprofile') },
  },
});
if (!options.docs) {
  console.error('usage: node tests/e2e/sync_profile.mjs --docs docs.json [--dist dist] [--named]');
  process.exit(2);
}
const TOP = Number(options.top);

/** A copy of `dist` with the named wasm in place of the optimised one. */
async function namedCopy(dist) {
  const copy = join(tmpdir(), `crosscheck-named-${process.pid}`);
  await cp(dist, copy, { recursive: true });
  const wasm = (await readdir(copy)).find((name) => /^crosscheck-[0-9a-f]+_bg\.wasm$/.test(name));
  if (!wasm) throw new Error(`no crosscheck-*_bg.wasm in ${dist}`);
  const named = join(process.env.CARGO_TARGET_DIR || join(ROOT, 'target'), 'wasm-bindgen', 'release', 'crosscheck_bg.wasm');
  await copyFile(named, join(copy, wasm));
  const integrity = `sha384-${createHash('sha384').update(await readFile(named)).digest('base64')}`;
  const index = join(copy, 'index.html');
  const html = await readFile(index, 'utf8');
  const fixed = html.replace(new RegExp(`(href="[^"]*${wasm}"[^>]*integrity=")[^"]*`), `$1${integrity}`);
  if (fixed === html) throw new Error(`no integrity attribute for ${wasm} in index.html`);
  await writeFile(index, fixed);
  return copy;
}

/** Phases by the functions on a sample's stack, first match wins (most specific first). */
const PHASES = [
  ['merge into project (merge_slice)', /merge_slice|merge_delivery|merge_item_into|step_while/],
  ['absorb into saved state', /SavedState.*absorb|absorb_one/],
  ['localStorage writes (journal commits)', /commit_in_chunks|journal..commit|setItem/],
  ['autosave (save_now: plan + write)', /save_now/],
  ['replica: store revisions', /put_replicated/],
  ['replica: to IndexedDB (persist)', /sync_store..persist|take_writes|write_in/],
  ['apply winners (wire → stored)', /apply_winners/],
  ['validate (on_bulk_get)', /on_bulk_get/],
  ['changes / revs_diff', /on_changes|revs_diff/],
  ['reducer / ReplaceProject', /reduce|ReplaceProject/],
  ['render (yew)', /yew|Component|render|view/],
  ['JSON.parse', /JSON\.parse|^parse$/],
  ['fetch / network glue', /fetch|request/],
  ['garbage collection', /\(garbage collector\)/],
  ['idle / program', /\(idle\)|\(program\)/],
];

/** Sums the profile by function (inclusive, self) and by phase; each node's stack of names is
 *  built once, from its parent's. */
function summarise(profile) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map();
  for (const node of profile.nodes) for (const child of node.children || []) parentOf.set(child, node.id);
  const stacks = new Map();
  const stackOf = (id) => {
    if (!stacks.has(id)) {
      const up = parentOf.has(id) ? stackOf(parentOf.get(id)) : [];
      stacks.set(id, [nodes.get(id).callFrame.functionName || '(anonymous)', ...up]);
    }
    return stacks.get(id);
  };
  const sums = { inclusive: new Map(), self: new Map(), phases: new Map() };
  const add = (map, key, ms) => map.set(key, (map.get(key) || 0) + ms);
  let total = 0;
  profile.samples.forEach((id, index) => {
    const ms = (profile.timeDeltas[index + 1] ?? profile.timeDeltas[index] ?? 0) / 1000;
    const stack = stackOf(id);
    total += ms;
    add(sums.self, stack[0], ms);
    for (const fn of new Set(stack)) add(sums.inclusive, fn, ms);
    add(sums.phases, PHASES.find(([, pattern]) => stack.some((fn) => pattern.test(fn)))?.[0] ?? 'other', ms);
  });
  const top = (map, count) => [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, count);
  return { total, inclusive: top(sums.inclusive, TOP), self: top(sums.self, TOP), phases: top(sums.phases, PHASES.length + 1) };
}

/** The functions on the stack (inclusive time) of the samples inside a long task: the profile's
 *  clock is anchored at `profiledFrom` (the page's performance.now() read just after the
 *  profiler started, so a few ms late at most). */
function functionsDuring(profile, profiledFrom, task) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map();
  for (const node of profile.nodes) for (const child of node.children || []) parentOf.set(child, node.id);
  const inclusive = new Map();
  let at = profile.startTime;
  let total = 0;
  profile.samples.forEach((id, index) => {
    at += profile.timeDeltas[index] ?? 0;
    const pageTime = profiledFrom + (at - profile.startTime) / 1000;
    if (pageTime < task.start || pageTime > task.start + task.duration) return;
    const ms = (profile.timeDeltas[index + 1] ?? 0) / 1000;
    total += ms;
    const seen = new Set();
    for (let node = id; node !== undefined; node = parentOf.get(node)) {
      const name = nodes.get(node).callFrame.functionName || '(anonymous)';
      if (!seen.has(name)) inclusive.set(name, (inclusive.get(name) || 0) + ms);
      seen.add(name);
    }
  });
  return { total, inclusive: [...inclusive.entries()].sort((a, b) => b[1] - a[1]) };
}

const dist = options.named ? await namedCopy(resolve(options.dist)) : resolve(options.dist);
try {
  const sync = await benchSync({
    dist,
    docsFile: resolve(options.docs),
    profile: options.out,
    log: (...parts) => console.error('[profile]', ...parts),
  });
  console.log(syncRow(sync));
  const profile = JSON.parse(await readFile(options.out, 'utf8'));
  const summary = summarise(profile);
  const rows = (list) => list.map(([fn, ms]) => `  ${(ms / 1000).toFixed(2).padStart(8)} s  ${fn.slice(0, 140)}`).join('\n');
  console.log(`\nprofiled ${(summary.total / 1000).toFixed(1)} s`);
  console.log(`by phase:\n${rows(summary.phases)}`);
  console.log(`inclusive:\n${rows(summary.inclusive)}`);
  console.log(`self:\n${rows(summary.self)}`);
  for (const task of sync.longTasks) {
    const inside = functionsDuring(profile, sync.profiledFrom, task);
    console.log(`\nlong task at ${((task.start - sync.start) / 1000).toFixed(2)} s, ${task.duration.toFixed(0)} ms (${(inside.total).toFixed(0)} ms sampled), inclusive:\n${rows(inside.inclusive.slice(0, 25))}`);
  }
} finally {
  if (options.named) await rm(dist, { recursive: true, force: true });
}
