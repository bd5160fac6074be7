// Runs the B1-B3 cases (inputs from suite-gen.mjs) through one JS engine, the same way
// nodenogg.benchmarks.SuiteRunner does for ours; one JSON line per case.
//   node --expose-gc js/bench/suite.mjs ENGINE INPUTS.json [--runs N] [--only B1.1,B2.3]
import { readFileSync } from 'node:fs'
import { engineByName, liveHeap } from './engines.mjs'

const [engineName, file, ...rest] = process.argv.slice(2)
if (!file) { console.error('usage: suite.mjs ENGINE INPUTS.json [--runs N] [--only IDS]'); process.exit(2) }
const optIdx = name => rest.indexOf(name)
const only = optIdx('--only') >= 0 ? new Set(rest[optIdx('--only') + 1].split(',')) : null
const runs = optIdx('--runs') >= 0 ? Number(rest[optIdx('--runs') + 1]) : 1
const engine = engineByName(engineName)
const { cases } = JSON.parse(readFileSync(file, 'utf8'))
const now = () => performance.now()
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000 }

function applyOp (doc, type, [pos, del, ins]) {
  if (type === 'text') {
    if (del > 0) doc.deleteText(pos, del)
    if (ins.length) doc.insertText(pos, ins)
  } else {
    if (del > 0) doc.deleteArray(pos, del)
    if (ins.length) doc.insertArray(pos, ins)
  }
}
const content = (doc, type) => type === 'text' ? doc.text() : type === 'array' ? doc.array() : doc.map()
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b)
const assert = (ok, what) => { if (!ok) throw new Error(`${engineName}: check failed: ${what}`) }

function b3Value (op, i, clients) {
  switch (op) {
    case 'setNumber': return i
    case 'setObject': return { name: String(i), address: 'here' }
    case 'setString': return String(i).repeat(clients)
    default: return String(i)
  }
}

function runCase (c) {
  const r = { opsMs: 0, remoteApplyMs: 0, cpuMs: 0 }
  let encoded, reference
  if (c.kind === 'B1') {
    const updates = []
    const doc1 = engine.create({ onUpdate: u => updates.push(u) })
    const doc2 = engine.create({})
    let t = now(); let k = cpu()
    for (const op of c.ops) doc1.transact(() => applyOp(doc1, c.type, op))
    r.opsMs = now() - t
    t = now()
    if (engine.batchRemote) doc2.applyUpdates(updates)
    else for (const u of updates) doc2.applyUpdate(u)
    r.remoteApplyMs = now() - t; r.cpuMs = cpu() - k
    assert(same(content(doc1, c.type), c.expect) && same(content(doc2, c.type), c.expect), c.id)
    r.updateSize = updates.reduce((a, u) => a + u.length, 0)
    t = now(); encoded = doc1.encodeV1(); r.encodeMs = now() - t
    reference = content(doc1, c.type)
  } else if (c.kind === 'B2') {
    let u1 = []; let u2 = []
    const doc1 = engine.create({ onUpdate: u => u1.push(u) })
    const doc2 = engine.create({ onUpdate: u => u2.push(u) })
    doc1.transact(() => doc1.insertText(0, c.init))
    for (const u of u1) doc2.applyUpdate(u)
    u1 = []; u2 = []
    const k = cpu()
    let t = now()
    doc1.transact(() => { for (const op of c.ops1) applyOp(doc1, 'text', op) })
    let t2 = now(); for (const u of u1) doc2.applyUpdate(u); r.remoteApplyMs += now() - t2; r.opsMs += t2 - t
    t = now()
    doc2.transact(() => { for (const op of c.ops2) applyOp(doc2, 'text', op) })
    t2 = now(); for (const u of u2) doc1.applyUpdate(u); r.remoteApplyMs += now() - t2; r.opsMs += t2 - t
    r.cpuMs = cpu() - k
    assert(doc1.text() === doc2.text() && (c.expectLength < 0 || doc1.text().length === c.expectLength), c.id)
    r.updateSize = [...u1, ...u2].reduce((a, u) => a + u.length, 0)
    t = now(); encoded = doc1.encodeV1(); r.encodeMs = now() - t
    reference = doc1.text()
  } else {
    const updates = []
    const docs = []
    for (let i = 0; i < c.clients; i++) docs.push(engine.create({ onUpdate: u => updates.push(u) }))
    let t = now(); let k = cpu()
    for (let i = 0; i < docs.length; i++) {
      const d = docs[i]; const v = b3Value(c.op, i, c.clients)
      d.transact(() => {
        if (c.op === 'insertArray') d.insertArray(0, [v])
        else if (c.op === 'insertText') d.insertText(0, v)
        else d.setMap('v', v)
      })
    }
    r.opsMs = now() - t; r.cpuMs = cpu() - k
    const all = updates.slice()
    docs[0].applyUpdates(all)
    t = now(); k = cpu()
    docs[1].applyUpdates(all)
    r.remoteApplyMs = now() - t; r.cpuMs += cpu() - k
    assert(same(content(docs[0], c.type), content(docs[1], c.type)), c.id)
    r.updateSize = all.reduce((a, u) => a + u.length, 0)
    t = now(); encoded = docs[0].encodeV1(); r.encodeMs = now() - t
    reference = content(docs[0], c.type)
  }
  const before = liveHeap()
  const t = now()
  const loaded = engine.load(encoded)
  r.parseMs = now() - t
  r.heapBytes = liveHeap() - before
  assert(same(content(loaded, c.type), reference), c.id + ' (parsed)')
  r.docSize = encoded.length
  return r
}

for (let run = 1; run <= runs; run++) for (const c of cases) {
  if (only && !only.has(c.id)) continue
  const r = runCase(c)
  const round = x => Math.round(x * 100) / 100
  console.log(JSON.stringify({
    engine: engineName, case: c.id, run, timeMs: round(r.opsMs + r.remoteApplyMs), opsMs: round(r.opsMs),
    remoteApplyMs: round(r.remoteApplyMs), encodeMs: round(r.encodeMs), parseMs: round(r.parseMs),
    docSize: r.docSize, updateSize: r.updateSize, heapBytes: r.heapBytes, timeCpuMs: round(r.cpuMs)
  }))
}
