// The y-leveldb side of the persistence benchmark (run by PersistenceBenchmark.java in the same run).
// Same load as the Java side: updates read from a file of "writer<TAB>doc<TAB>base64" lines.
//   node leveldb-bench.mjs UPDATES_FILE DB_DIR closed WRITERS SECONDS
//   node leveldb-bench.mjs UPDATES_FILE DB_DIR open   RATE    SECONDS
// Prints one JSON line: {"acks":N,"seconds":S,"perSecond":R,"p50Ms":..,"p99Ms":..,"maxMs":..}.
// A storeUpdate promise resolving is y-leveldb's only "acknowledgement"; LevelDB writes are not
// fsynced (sync:false), so this measures process-crash safety at best, not power-loss durability.
import { readFileSync } from 'node:fs'
import { LeveldbPersistence } from 'y-leveldb'

const [file, dbDir, mode, param, secondsArg] = process.argv.slice(2)
const seconds = Number(secondsArg)
const byWriter = new Map()
for (const line of readFileSync(file, 'utf8').split('\n')) {
  if (!line) continue
  const [w, doc, b64] = line.split('\t')
  if (!byWriter.has(w)) byWriter.set(w, [])
  byWriter.get(w).push({ doc, update: new Uint8Array(Buffer.from(b64, 'base64')) })
}
const writers = [...byWriter.values()]
const ldb = new LeveldbPersistence(dbDir)
const latencies = []
const now = () => Number(process.hrtime.bigint()) / 1e6 // ms

const start = now()
const end = start + seconds * 1000
if (mode === 'closed') {
  const n = Number(param)
  await Promise.all(writers.slice(0, n).map(async (ups) => {
    for (let i = 0; i < ups.length && now() < end; i++) {
      const t0 = now()
      await ldb.storeUpdate(ups[i].doc, ups[i].update)
      latencies.push(now() - t0)
    }
  }))
} else {
  const rate = Number(param)
  const next = writers.map(() => 0)
  let issued = 0
  const pending = []
  while (now() < end) {
    const due = Math.floor((now() - start) * rate / 1000)
    while (issued < due) {
      const scheduled = start + issued * 1000 / rate
      const w = issued % writers.length
      const u = writers[w][next[w]++]
      issued++
      if (!u) continue
      pending.push(ldb.storeUpdate(u.doc, u.update).then(() => latencies.push(now() - scheduled)))
    }
    await new Promise(resolve => setTimeout(resolve, 1))
  }
  await Promise.all(pending)
}
const elapsed = (now() - start) / 1000
latencies.sort((a, b) => a - b)
const pct = p => latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] : NaN
console.log(JSON.stringify({
  acks: latencies.length, seconds: elapsed, perSecond: latencies.length / elapsed,
  p50Ms: pct(0.5), p99Ms: pct(0.99), maxMs: latencies[latencies.length - 1]
}))
await ldb.destroy()
