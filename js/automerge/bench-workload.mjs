// The microcosm workload of `./microcosm bench backends` in JS automerge 3.5, writing the layout of
// docs/automerge-layout.md with layout.mjs: node --expose-gc bench-workload.mjs notes moves edits
// Peer A makes every edit as one change (A.change, kept with A.getLastLocalChange); peer B applies A's changes one
// by one (A.applyChanges).
// Prints {localMs, remoteMs, encodedBytes, heapBytes, nativeBytes} (heap = V8 heap growth; native = growth of
// arrayBuffers + external, where the wasm memory lives).
import * as A from "@automerge/automerge";
import { readMicrocosm, register, createEntity, updateEntity, keyOf } from "./layout.mjs";

const [notes, moves, edits] = process.argv.slice(2).map(Number);
let seed = 42;
const rnd = n => { // mulberry32
  seed |= 0; seed = (seed + 0x6D2B79F5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
};
const gc = () => { if (global.gc) { global.gc(); global.gc(); } };
const mem = () => { const m = process.memoryUsage(); return { heap: m.heapUsed, native: m.arrayBuffers + m.external }; };
gc();
const m0 = mem();
const me = "@benchbenchbench1";
const changes = [];
let doc = A.init();
const step = fn => {
  doc = A.change(doc, fn);
  changes.push(A.getLastLocalChange(doc)); // the change just made, as a peer receives it
};
const t0 = performance.now();
const ids = [];
step(d => register(d, "bench", me));
let n = 0;
for (let i = 0; i < notes; i++) {
  const id = "e" + String(i).padStart(16, "0");
  ids.push(id);
  const now = Date.now();
  step(d => createEntity(d, { id, identity_id: me, version: "1", created: now, lastEdited: now,
    data: { type: "html", x: rnd(2000), y: rnd(2000), width: 200, height: 200, content: `<p>note ${i}</p>` } }));
}
for (let i = 0; i < moves; i++) {
  const loc = `${me}/${ids[rnd(notes)]}`;
  step(d => updateEntity(d, loc, { x: rnd(2000), y: rnd(2000) }, Date.now()));
}
for (let i = 0; i < edits; i++) {
  const loc = `${me}/${ids[rnd(notes)]}`;
  const html = doc[keyOf(loc)].data.content;
  const at = 3 + rnd(Math.max(1, html.length - 7));
  step(d => updateEntity(d, loc, { content: html.slice(0, at) + `edit ${i} ` + html.slice(at) }, Date.now()));
}
const localMs = performance.now() - t0;
const encodedBytes = A.save(doc).length;
gc();
const m1 = mem();
let b = A.init();
const r0 = performance.now();
for (const c of changes) [b] = A.applyChanges(b, [c]);
const remoteMs = performance.now() - r0;
const same = JSON.stringify(readMicrocosm(b).entities) === JSON.stringify(readMicrocosm(doc).entities);
if (!same) throw new Error("peer B does not hold what peer A holds");
console.log(JSON.stringify({ localMs, remoteMs, encodedBytes, heapBytes: m1.heap - m0.heap,
  nativeBytes: m1.native - m0.native, entities: Object.keys(readMicrocosm(doc).entities).length }));
