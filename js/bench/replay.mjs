// Replays an editing trace through one JS engine exactly as nodenogg.benchmarks.TraceReplay does for
// ours, printing one JSON line per run with the same fields.
//   node --expose-gc js/bench/replay.mjs ENGINE FILE [--runs N] [--prefix TXNS]
import { engineByName, liveHeap } from './engines.mjs'
import { loadTrace } from './trace.mjs'
import { basename } from 'node:path'

const args = process.argv.slice(2)
if (args.length < 2) {
  console.error('usage: replay.mjs ENGINE FILE [--runs N] [--prefix TXNS]')
  process.exit(2)
}
const [engineName, file] = args
const opt = (name, dflt) => { const i = args.indexOf(name); return i < 0 ? dflt : Number(args[i + 1]) }
const runs = opt('--runs', 1)
const engine = engineByName(engineName)
const trace = loadTrace(file, opt('--prefix', -1))
const now = () => performance.now()
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000 } // process CPU ms, all threads
const CLIENT_ID = 3000000001

function replayOnce () {
  const updates = []
  let v1, v2
  let opsMs, remoteApplyMs, encodeMs, opsCpuMs, remoteApplyCpuMs, encodeCpuMs
  {
    const doc = engine.create({ clientId: CLIENT_ID, onUpdate: u => updates.push(u) })
    if (trace.startContent) doc.transact(() => doc.insertText(0, trace.startContent))
    let t = now(); let c = cpu()
    for (const txn of trace.txns) {
      doc.transact(() => {
        for (const [pos, del, ins] of txn.patches) {
          if (del > 0) doc.deleteText(pos, del)
          if (ins) doc.insertText(pos, ins)
        }
      })
    }
    opsMs = now() - t; opsCpuMs = cpu() - c
    if (doc.text() !== trace.endContent) throw new Error(`${engineName}: local text differs from endContent`)
    const remote = engine.create({})
    t = now(); c = cpu()
    if (engine.batchRemote) remote.applyUpdates(updates)
    else for (const u of updates) remote.applyUpdate(u)
    remoteApplyMs = now() - t; remoteApplyCpuMs = cpu() - c
    if (remote.text() !== trace.endContent) throw new Error(`${engineName}: remote text differs from endContent`)
    t = now(); c = cpu()
    v1 = doc.encodeV1()
    encodeMs = now() - t; encodeCpuMs = cpu() - c
    v2 = doc.encodeV2 ? doc.encodeV2() : null
  }
  updates.length = 0
  const before = liveHeap()
  const t = now(); const c = cpu()
  const loaded = engine.load(v1)
  const parseMs = now() - t; const parseCpuMs = cpu() - c
  const heapBytes = liveHeap() - before
  const text = loaded.text()
  if (text !== trace.endContent) throw new Error(`${engineName}: parsed text differs from endContent`)
  return { opsMs, remoteApplyMs, encodeMs, parseMs, docSizeV1: v1.length, docSizeV2: v2 ? v2.length : null, heapBytes, finalLength: text.length, opsCpuMs, remoteApplyCpuMs, encodeCpuMs, parseCpuMs }
}

for (let run = 1; run <= runs; run++) {
  const r = replayOnce()
  const round = x => Math.round(x * 100) / 100
  console.log(JSON.stringify({
    engine: engineName, trace: basename(file).replace(/\.json(\.gz)?$/, ''), run, txns: trace.txns.length,
    opsMs: round(r.opsMs), remoteApplyMs: round(r.remoteApplyMs), encodeMs: round(r.encodeMs), parseMs: round(r.parseMs),
    docSizeV1: r.docSizeV1, docSizeV2: r.docSizeV2, heapBytes: r.heapBytes, finalLength: r.finalLength,
    opsCpuMs: round(r.opsCpuMs), remoteApplyCpuMs: round(r.remoteApplyCpuMs), encodeCpuMs: round(r.encodeCpuMs), parseCpuMs: round(r.parseCpuMs)
  }))
}
