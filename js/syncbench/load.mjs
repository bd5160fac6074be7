// Load generator for Hocuspocus-protocol servers (ours and @hocuspocus/server), loopback only.
//
//   node load.mjs --url ws://127.0.0.1:P/sync --scenario fanout|rooms|idle|join [options]
//     --pid N --kind java|node   server process to sample (/proc) and to ask for GC (jcmd / SIGUSR2)
//     fanout only: --url U1,U2,... client i connects to U(i mod n) (instances of a cluster); --pid P1,P2,...
//     sums their CPU and RSS; --redis-pid N reports redis-server's CPU apart (redisCpuPct)
//     --clients N --rooms N      clients, spread round-robin over rooms (fanout: 1 room)
//     --rate R                   fanout: total updates/s sent (open loop, spread over all clients)
//     --warmup S --duration S    fanout: unmeasured warm-up, then the measured window
//     --hold S                   idle: how long the clients stay connected
//     --doc-kib K                join: size of the text document a fresh client joins
//     --joins N                  join: fresh clients joining one after another
//     --parallel N               handshakes in flight while connecting
//     --seed N
//
// Prints one line "RESULT {json}" and exits (0 ok, 1 failure, e.g. an update did not arrive).
// Every update carries "sender.seq:sendTime|" as text; a receiver decodes the text of whatever update
// the server forwards (merged or not) and the fan-out latency of an update is the time until the
// LAST other client in its room has it.
import { RawClient, openAll } from './client.mjs'
import { cpuSeconds, rssKiB, settledRss, sleep } from './proc.mjs'

const args = parseArgs(process.argv.slice(2))
const urls = (args.url ?? fail('--url is required')).split(',')
const url = urls[0]
const scenario = args.scenario ?? 'fanout'
const pids = (args.pid ?? '0').split(',').map(Number)
const pid = pids[0]
const redisPid = args['redis-pid'] ? Number(args['redis-pid']) : 0
const cpuAll = () => pids.reduce((t, p) => t + cpuSeconds(p), 0)
const rssAll = () => pids.reduce((t, p) => t + rssKiB(p), 0)
const kind = args.kind ?? 'java'
let seed = Number(args.seed ?? 1)
const hardLimit = setTimeout(() => { console.error('syncbench: hard time limit reached'); process.exit(3) },
  Number(args['time-limit'] ?? 300) * 1000)
hardLimit.unref()

function parseArgs (a) {
  const o = {}
  for (let i = 0; i < a.length; i += 2) {
    if (!a[i].startsWith('--')) fail(`unexpected argument ${a[i]}`)
    o[a[i].slice(2)] = a[i + 1]
  }
  return o
}
function fail (msg) { console.error(`syncbench: ${msg}`); process.exit(2) }
function random () { // mulberry32, seeded
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const newClientId = () => 1 + Math.floor(random() * 0x7ffffffe)
const errors = []
const onError = (c, e) => { if (errors.length < 20) errors.push(`${c.doc}: ${e.message}`) }
function pct (sorted, p) {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)]
}
const round = (x, d = 2) => Math.round(x * 10 ** d) / 10 ** d
function done (result) {
  result.errors = errors
  console.log('RESULT ' + JSON.stringify(result))
  process.exit(result.ok ? 0 : 1)
}

async function fanout () {
  const n = Number(args.clients ?? 50)
  const rooms = Number(args.rooms ?? 1)
  const rate = Number(args.rate ?? 1960)
  const warmup = Number(args.warmup ?? 3) * 1000
  const duration = Number(args.duration ?? 20) * 1000
  const perRoom = Array(rooms).fill(0)
  for (let i = 0; i < n; i++) perRoom[i % rooms]++
  const pending = new Map() // "sender.seq" -> { t, left, measured }
  const latencies = []
  let received = 0; let dupOrUnknown = 0; let duplicates = 0; let reordered = 0
  const make = (spec, i) => {
    const c = new RawClient(urls[i % urls.length], `bench-${spec.room}`, newClientId(), { onString, onError })
    c.index = i; c.room = spec.room; c.seq = 0; c.lastSeq = new Int32Array(n).fill(-1)
    return c
  }
  function onString (s, c) {
    const now = performance.now()
    let start = 0
    while (start < s.length) {
      const end = s.indexOf('|', start)
      if (end < 0) break
      const rec = s.slice(start, end); start = end + 1
      const dot = rec.indexOf('.')
      const sender = Number(rec.slice(0, dot))
      if (sender === c.index) continue // own echo
      received++
      const colon = rec.indexOf(':')
      const seq = Number(rec.slice(dot + 1, colon))
      const last = c.lastSeq[sender]
      if (seq <= last) { duplicates++; continue } // one sender's updates arrive in order on one socket
      if (seq !== last + 1) reordered++
      c.lastSeq[sender] = seq
      const key = rec.slice(0, colon)
      const e = pending.get(key)
      if (!e) { dupOrUnknown++; continue }
      if (--e.left === 0) {
        pending.delete(key)
        if (e.measured) latencies.push(now - e.t)
      }
    }
  }
  const specs = Array.from({ length: n }, (_, i) => ({ room: i % rooms }))
  const t0 = performance.now()
  const clients = await openAll(specs, Number(args.parallel ?? 50), make)
  const joinMs = performance.now() - t0
  let sent = 0; let sentMeasured = 0; let bytesSent = 0
  const begin = performance.now()
  let cpu0 = NaN; let redis0 = NaN; let wall0 = 0; let own0 = null; let measuring = false
  let cursor = 0
  await new Promise(resolve => {
    function tick () {
      const now = performance.now()
      const elapsed = now - begin
      if (!measuring && elapsed >= warmup) {
        measuring = true; cpu0 = cpuAll(); redis0 = cpuSeconds(redisPid); wall0 = now; own0 = process.cpuUsage()
      }
      if (elapsed >= warmup + duration) { resolve(); return }
      const due = Math.floor(elapsed / 1000 * rate) - sent
      for (let k = 0; k < due; k++) {
        const c = clients[cursor]; cursor = (cursor + 1) % n
        const t = performance.now()
        const key = `${c.index}.${c.seq++}`
        pending.set(key, { t, left: perRoom[c.room] - 1, measured: measuring })
        bytesSent += c.insert(`${key}:${t.toFixed(3)}|`)
        sent++
        if (measuring) sentMeasured++
      }
      setTimeout(tick, 1)
    }
    tick()
  })
  const wall = (performance.now() - wall0) / 1000
  const cpu = cpuAll() - cpu0
  const redisCpu = cpuSeconds(redisPid) - redis0
  const own = process.cpuUsage(own0)
  const rss = rssAll()
  // drain: let in-flight updates arrive (bounded)
  const drainUntil = performance.now() + 5000
  while (pending.size > 0 && performance.now() < drainUntil) await sleep(50)
  const lost = [...pending.values()].filter(e => e.measured).length
  const delivered = sentMeasured - lost
  latencies.sort((a, b) => a - b)
  for (const c of clients) c.close()
  done({
    scenario: 'fanout', ok: lost === 0 && errors.length === 0 && pending.size === 0 && duplicates === 0 && dupOrUnknown === 0,
    clients: n, rooms, targetRate: rate, window: round(wall), sent,
    sentPerSec: round(sentMeasured / wall, 1), deliveredPerSec: round(delivered / wall, 1),
    lost: pending.size, receivedRecords: received, duplicates, reordered, unknownRecords: dupOrUnknown,
    p50: round(pct(latencies, 50)), p99: round(pct(latencies, 99)), max: round(latencies.at(-1) ?? NaN),
    p90: round(pct(latencies, 90)), p95: round(pct(latencies, 95)), p999: round(pct(latencies, 99.9)),
    serverCpuPct: round(cpu / wall * 100, 1), serverRssMiB: round(rss / 1024, 1), instances: urls.length,
    redisCpuPct: redisPid ? round(redisCpu / wall * 100, 1) : null,
    loadgenCpuPct: round((own.user + own.system) / 1e4 / wall, 1), joinAllMs: round(joinMs, 0),
    bytesSent
  })
}

async function rooms () { // clients over many rooms: memory per client
  const n = Number(args.clients ?? 1000)
  const nRooms = Number(args.rooms ?? n)
  const base = await settledRss(pid, kind)
  const specs = Array.from({ length: n }, (_, i) => ({ room: i % nRooms }))
  const t0 = performance.now()
  const clients = await openAll(specs, Number(args.parallel ?? 50),
    (spec) => new RawClient(url, `room-${spec.room}`, newClientId(), { onError }))
  const joinMs = performance.now() - t0
  await sleep(500) // a server may acknowledge the empty Step2 each client answered with
  for (const c of clients) { c.acks0 = c.acks; c.insert(`hello from ${c.clientId}|`) } // every document non-empty
  const ackUntil = performance.now() + 20000
  while (clients.some(c => c.acks < c.acks0 + 1) && performance.now() < ackUntil) await sleep(50)
  const acked = clients.filter(c => c.acks >= c.acks0 + 1).length
  const after = await settledRss(pid, kind)
  const open = clients.filter(c => !c.closed).length
  for (const c of clients) c.close()
  done({
    scenario: 'rooms', ok: open === n && errors.length === 0 && acked === n, clients: n, rooms: nRooms,
    open, acked, joinAllMs: round(joinMs, 0), baseRssMiB: round(base / 1024, 1), rssMiB: round(after / 1024, 1),
    kibPerClient: round((after - base) / n, 1)
  })
}

async function idle () { // many idle clients held open
  const n = Number(args.clients ?? 10000)
  const nRooms = Number(args.rooms ?? 1000)
  const hold = Number(args.hold ?? 10) * 1000
  const base = rssKiB(pid)
  const specs = Array.from({ length: n }, (_, i) => ({ room: i % nRooms }))
  const t0 = performance.now()
  // Like a real provider, every client announces an (empty) awareness state once synced and renews it
  // every 15 s (y-protocols renews at outdatedTimeout / 2); this is the only traffic of an idle client.
  const all = []
  const renew = setInterval(() => {
    const now = performance.now()
    for (const c of all) if (c.synced && now - (c.renewedAt ?? 0) >= 15000) { c.renewedAt = now; c.renewAwareness() }
  }, 500)
  let clients
  try {
    clients = await openAll(specs, Number(args.parallel ?? 100), (spec) => {
      const c = new RawClient(url, `idle-${spec.room}`, newClientId(), { onError })
      all.push(c)
      return c
    })
  } catch (e) {
    clearInterval(renew)
    done({ scenario: 'idle', ok: false, clients: n, failure: e.message })
    return
  }
  const joinMs = performance.now() - t0
  const cpu0 = cpuSeconds(pid)
  await sleep(hold)
  const idleCpu = cpuSeconds(pid) - cpu0
  clearInterval(renew)
  const open = clients.filter(c => !c.closed).length
  const rss = rssKiB(pid)
  for (const c of clients) c.close()
  done({
    scenario: 'idle', ok: open === n && errors.length === 0, clients: n, rooms: nRooms, open,
    heldSeconds: hold / 1000, joinAllMs: round(joinMs, 0), baseRssMiB: round(base / 1024, 1),
    rssMiB: round(rss / 1024, 1), kibPerClient: round((rss - base) / n, 1),
    idleServerCpuPct: round(idleCpu / (hold / 1000) * 100, 1)
  })
}

async function join () { // a fresh client joining a large text document
  const kib = Number(args['doc-kib'] ?? 1100)
  const joins = Number(args.joins ?? 5)
  const doc = `big-${Date.now()}`
  const writer = new RawClient(url, doc, newClientId(), { onError })
  await writer.open(); await writer.syncedPromise
  await sleep(300) // a server may acknowledge the empty Step2 the writer answered with
  const acks0 = writer.acks
  const chunk = 'x'.repeat(1023) + '|'
  const updates = Math.ceil(kib * 1024 / chunk.length)
  for (let i = 0; i < updates; i++) {
    writer.insert(chunk)
    if (i % 64 === 63) while (writer.acks - acks0 < i - 256) await sleep(5)
  }
  const ackUntil = performance.now() + 60000
  while (writer.acks - acks0 < updates && performance.now() < ackUntil) await sleep(20)
  const expected = updates * chunk.length
  const times = []; const sizes = []; const chars = []
  for (let j = 0; j < joins; j++) {
    let got = 0
    const c = new RawClient(url, doc, newClientId(), { onError, onString: (s) => { got += s.length } })
    await c.open(); await c.syncedPromise
    times.push(c.syncedAt - c.connectStart); sizes.push(c.step2Bytes); chars.push(got)
    c.close()
    await sleep(200)
  }
  writer.close()
  const sorted = [...times].sort((a, b) => a - b)
  done({
    scenario: 'join', ok: writer.acks - acks0 === updates && chars.every(g => g === expected) && errors.length === 0,
    docKiB: round(expected / 1024, 0), writes: updates, acked: writer.acks - acks0, step2Bytes: sizes[0], charsSeen: chars,
    joinMs: times.map(t => round(t, 1)), medianMs: round(sorted[Math.floor(sorted.length / 2)], 1)
  })
}

const scenarios = { fanout, rooms, idle, join }
if (!scenarios[scenario]) fail(`unknown --scenario ${scenario}`)
scenarios[scenario]().catch(e => { errors.push(e.message); done({ scenario, ok: false }) })
