// Loads a Trace Event Format file with Chrome DevTools' trace engine (install.sh) and
// prints, as one JSON line, what the engine made of it: per thread its name, its
// entries (slices), the roots of its call tree and that tree's depth.
//   node load.mjs ENGINE_DIR TRACE.json
import fs from 'node:fs';
import path from 'node:path';
import {pathToFileURL} from 'node:url';

// What the engine uses of newer Node versions than Debian 12's (18).
if (!URL.parse)
  URL.parse = (u, b) => {
    try {
      return new URL(u, b);
    } catch {
      return null;
    }
  };
for (const [name, fn] of [
       ['toSorted', function(f) { return [...this].sort(f); }],
       ['toReversed', function() { return [...this].reverse(); }],
]) {
  if (!Array.prototype[name])
    Object.defineProperty(Array.prototype, name, {value: fn, configurable: true, writable: true});
}
// The engine needs window.DOMRect (its README says to polyfill it in Node).
globalThis.DOMRect ??= class DOMRect {
  constructor(x = 0, y = 0, w = 0, h = 0) {
    Object.assign(this, {x, y, width: w, height: h});
  }
};

const [engineDir, file] = process.argv.slice(2);
const entry = path.resolve(engineDir, 'node_modules/@paulirish/trace_engine/models/trace/trace.js');
const Trace = await import(pathToFileURL(entry).href);
const json = JSON.parse(fs.readFileSync(file, 'utf8'));
const model = Trace.TraceModel.Model.createWithAllHandlers();
await model.parse(json.traceEvents ?? json);
const data = model.parsedTrace().data;
const threads = [];
for (const [pid, proc] of data.Renderer.processes) {
  for (const [tid, th] of proc.threads) {
    threads.push({
      pid: Number(pid),
      tid: Number(tid),
      name: th.name ?? null,
      entries: th.entries.length,
      roots: th.tree ? th.tree.roots.size : 0,
      depth: th.tree ? th.tree.maxDepth : 0,
    });
  }
}
console.log(JSON.stringify({threads}));

// With REPORT.json (opentrail's JSON report of the same log): the same line drawn
// from the report's calls, for the test to compare.
if (process.argv[4]) {
  const report = JSON.parse(fs.readFileSync(process.argv[4], 'utf8'));
  const want = new Map();
  for (const th of report.threads)
    want.set(`${th.pid}/${th.tid}`, {pid: th.pid, tid: th.tid, name: th.comm, entries: 0, roots: th.roots, depth: 0});
  const stack = report.calls.map((c) => [c, 1]);
  while (stack.length) {
    const [c, d] = stack.pop();
    const w = want.get(`${c.pid}/${c.tid}`);
    w.entries++;
    w.depth = Math.max(w.depth, d);
    for (const k of c.children) stack.push([k, d + 1]);
  }
  console.log(JSON.stringify({threads: [...want.values()]}));
}
