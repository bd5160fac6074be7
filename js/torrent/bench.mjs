// WebTorrent tracker benchmark (issue 16): simulated trystero peers, ours vs bittorrent-tracker's server.
//   node bench.mjs [--peers 100] [--rooms 10] [--steady 10] [--reps 3] [--servers "ours reference"] [--json FILE]
// Each peer is one WebSocket speaking trystero 0.25's torrent strategy on the wire: on open it announces
// {info_hash: 20 base36 chars of SHA-1(room), peer_id: 20 alphanumerics, numwant: 3, offers: 3 × {offer_id,
// offer: {type, sdp}}} with SDPs the size of trystero's encrypted ones (~1.2 KB), announces again after
// 233, 533 and 1333 ms (trystero's warm-up), answers the first offer it gets from each other peer (as a
// trystero peer does before it connects) and, in the steady phase, re-announces every --period-ms (1000)
// with fresh offers (a busier schedule than trystero's, so there is CPU to measure).
// Per server and repetition (servers interleaved, each started fresh): a warm-up round of the same peers
// re-announcing every --warm-period-ms (100) for --warm-s (10) seconds, all closed again, then settled RSS (GC requested) as the baseline; then the measured join phase (all peers open at once):
// time until every peer has received an offer, and until every peer has an answer to one of its own
// offers; then --steady seconds of re-announcing; server CPU (utime+stime from /proc) per phase; settled
// RSS with every peer still connected, minus the baseline, per peer. Sockets are opened first (connect CPU),
// then every peer announces at once (t0 of the join timings).
// ours = ./microcosm serve --memory (its default JVM options), tracker on /announce;
// reference = node --expose-gc tracker-ref.mjs (bittorrent-tracker 11.2.3 Server, WebSocket only).
import { spawn } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { writeFileSync, appendFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { WebSocket } from 'ws'
import { readFileSync } from 'node:fs'
import { cpuSeconds, settledRss, sleep } from '../syncbench/proc.mjs'

/** [user, system] CPU seconds of a process (/proc/PID/stat fields 14 and 15, 100 ticks a second). */
const cpuSplit = pid => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return [Number(f[11]) / 100, Number(f[12]) / 100]
}

const { values: opts } = parseArgs({
  options: {
    peers: { type: 'string', default: '100' },
    rooms: { type: 'string', default: '10' },
    steady: { type: 'string', default: '10' },
    reps: { type: 'string', default: '3' },
    'warm-s': { type: 'string', default: '10' },
    'warm-period-ms': { type: 'string', default: '100' },
    'period-ms': { type: 'string', default: '1000' },
    servers: { type: 'string', default: 'ours reference' },
    json: { type: 'string' }
  }
})
const PEERS = Number(opts.peers)
const ROOMS = Number(opts.rooms)
const STEADY_S = Number(opts.steady)
const REPS = Number(opts.reps)
const WARM_S = Number(opts['warm-s'])
const WARM_PERIOD_MS = Number(opts['warm-period-ms'])
const PERIOD_MS = Number(opts['period-ms'])
const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..', '..')

const alnum = '0123456789AaBbCcDdEeFfGgHhIiJjKkLlMmNnOoPpQqRrSsTtUuVvWwXxYyZz'
const genId = n => Array.from(randomBytes(n), b => alnum[b % 62]).join('')
// trystero: SHA-1 of the topic, each byte in base 36, joined, first 20 characters
const infoHash = topic => Array.from(createHash('sha1').update(topic).digest(), b => b.toString(36)).join('').slice(0, 20)
const sdp = () => Array.from({ length: 16 }, (_, i) => i).join(',') + '$' + randomBytes(900).toString('base64')

function startServer (kind) {
  const child = kind === 'ours'
    ? spawn(join(root, 'microcosm'), ['serve', '--memory', '--host', '127.0.0.1', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(process.execPath, ['--expose-gc', join(here, 'tracker-ref.mjs'), '0'], { stdio: ['ignore', 'pipe', 'pipe'] })
  let errors = ''
  child.stderr.on('data', d => { errors += d })
  return new Promise((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error(kind + ' did not start: ' + errors)), 180000)
    child.stdout.on('data', d => {
      out += d
      const m = /PORT (\d+)/.exec(out) || /listening on [0-9.]+:(\d+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        resolve({ kind, child, pid: child.pid, url: `ws://127.0.0.1:${m[1]}/announce` })
      }
    })
    child.on('exit', code => reject(new Error(kind + ' exited with ' + code + ': ' + errors)))
  })
}

async function stopServer (server) {
  server.child.removeAllListeners('exit')
  const exited = new Promise(resolve => server.child.once('exit', resolve))
  server.child.kill('SIGTERM')
  await Promise.race([exited, sleep(10000)])
}

/** One simulated trystero peer. */
class Peer {
  constructor (url, room, index) {
    this.url = url
    this.hash = infoHash('Trystero@nodenogg-bench@' + room)
    this.id = genId(20)
    this.index = index
    this.gotOffer = 0
    this.gotAnswer = 0
    this.answered = new Set()
    this.timers = []
    this.sent = 0
  }

  open () {
    return new Promise((resolve, reject) => {
      this.ws = new WebSocket(this.url, { perMessageDeflate: false })
      this.ws.on('open', resolve)
      this.ws.on('error', reject)
      this.ws.on('message', data => this.onMessage(data.toString()))
    })
  }

  announce () {
    if (this.ws.readyState !== WebSocket.OPEN) return
    const offers = [0, 1, 2].map(() => ({ offer_id: genId(20), offer: { type: 'offer', sdp: sdp() } }))
    this.ws.send(JSON.stringify({ action: 'announce', info_hash: this.hash, peer_id: this.id, numwant: 3, offers }))
    this.sent++
  }

  onMessage (text) {
    const m = JSON.parse(text)
    if (m.offer && m.offer_id && m.peer_id) {
      if (!this.gotOffer) this.firstOfferAt = performance.now()
      this.gotOffer++
      if (!this.answered.has(m.peer_id)) {
        this.answered.add(m.peer_id)
        this.ws.send(JSON.stringify({
          action: 'announce',
          info_hash: this.hash,
          peer_id: this.id,
          answer: { type: 'answer', sdp: sdp() },
          offer_id: m.offer_id,
          to_peer_id: m.peer_id
        }))
        this.sent++
      }
    } else if (m.answer) {
      if (!this.gotAnswer) this.firstAnswerAt = performance.now()
      this.gotAnswer++
    } else if (m['failure reason']) {
      this.failures = (this.failures || 0) + 1
      this.lastFailure = m['failure reason']
    }
  }

  warmupSchedule () {
    for (const ms of [233, 533, 1333]) this.timers.push(setTimeout(() => this.announce(), ms))
  }

  steady (periodMs) {
    this.timers.push(setTimeout(() => {
      this.announce()
      this.timers.push(setInterval(() => this.announce(), periodMs))
    }, Math.random() * periodMs))
  }

  stop () {
    for (const t of this.timers) { clearTimeout(t); clearInterval(t) }
    this.timers = []
  }

  close () {
    this.stop()
    return new Promise(resolve => {
      if (this.ws.readyState === WebSocket.CLOSED) return resolve()
      this.ws.once('close', resolve)
      this.ws.close()
    })
  }
}

/** Join phase (+ optional steady phase) with fresh peers; returns the peers (still connected) and timings. */
async function load (server, steadyS, periodMs) {
  const peers = Array.from({ length: PEERS }, (_, i) => new Peer(server.url, 'room-' + (i % ROOMS), i))
  const cpuConnect = cpuSeconds(server.pid)
  await Promise.all(peers.map(p => p.open()))
  await sleep(200)
  // every peer joins its room at once: trystero's first announce and its warm-up schedule
  const cpu0 = cpuSeconds(server.pid)
  const t0 = performance.now()
  for (const p of peers) {
    p.announce()
    p.warmupSchedule()
  }
  const deadline = t0 + 20000
  while (peers.some(p => !p.gotOffer || !p.gotAnswer) && performance.now() < deadline) await sleep(2)
  const allOffers = Math.max(...peers.map(p => (p.firstOfferAt ?? NaN) - t0))
  const allAnswers = Math.max(...peers.map(p => (p.firstAnswerAt ?? NaN) - t0))
  await sleep(Math.max(0, t0 + 1500 - performance.now())) // the warm-up announces are done
  const cpu1 = cpuSeconds(server.pid)
  const split1 = cpuSplit(server.pid)
  let split2 = split1
  let cpu2 = cpu1
  let steadyMessages = 0
  if (steadyS > 0) {
    const sent0 = peers.reduce((n, p) => n + p.sent, 0)
    for (const p of peers) p.steady(periodMs)
    await sleep(steadyS * 1000)
    for (const p of peers) p.stop()
    await sleep(200)
    cpu2 = cpuSeconds(server.pid)
    split2 = cpuSplit(server.pid)
    steadyMessages = peers.reduce((n, p) => n + p.sent, 0) - sent0
  }
  const failures = peers.reduce((n, p) => n + (p.failures || 0), 0)
  return {
    peers,
    allOffersMs: allOffers,
    allAnswersMs: allAnswers,
    connectCpuS: cpu0 - cpuConnect,
    joinCpuS: cpu1 - cpu0,
    steadyCpuS: cpu2 - cpu1,
    steadySysS: split2[1] - split1[1],
    steadyMessages,
    failures,
    lastFailure: peers.find(p => p.lastFailure)?.lastFailure
  }
}

const results = []
for (let rep = 1; rep <= REPS; rep++) {
  for (const kind of opts.servers.split(/\s+/).filter(Boolean)) {
    const server = await startServer(kind)
    const gcKind = kind === 'ours' ? 'java' : 'node'
    try {
      // warm-up: the same peers, re-announcing faster, so both runtimes have compiled their hot paths
      const warm = await load(server, WARM_S, WARM_PERIOD_MS)
      await Promise.all(warm.peers.map(p => p.close()))
      await sleep(500)
      const baseKiB = await settledRss(server.pid, gcKind)
      const run = await load(server, STEADY_S, PERIOD_MS)
      const loadedKiB = await settledRss(server.pid, gcKind)
      await Promise.all(run.peers.map(p => p.close()))
      const r = {
        server: kind,
        rep,
        peers: PEERS,
        rooms: ROOMS,
        allOffersMs: Math.round(run.allOffersMs * 10) / 10,
        allAnswersMs: Math.round(run.allAnswersMs * 10) / 10,
        connectCpuMsPerPeer: Math.round(run.connectCpuS * 1e6 / PEERS) / 1000,
        joinCpuMsPerPeer: Math.round(run.joinCpuS * 1e6 / PEERS) / 1000,
        steadyS: STEADY_S,
        steadyMessagesPerS: Math.round(run.steadyMessages / STEADY_S),
        steadyCpuPercent: Math.round(run.steadyCpuS / STEADY_S * 1000) / 10,
        steadyCpuMsPerPeerPerS: Math.round(run.steadyCpuS * 1e6 / PEERS / STEADY_S) / 1000,
        steadySysPercent: Math.round(run.steadySysS / STEADY_S * 1000) / 10,
        baseRssMiB: Math.round(baseKiB / 102.4) / 10,
        loadedRssMiB: Math.round(loadedKiB / 102.4) / 10,
        rssKiBPerPeer: Math.round((loadedKiB - baseKiB) / PEERS * 10) / 10,
        failures: run.failures,
        lastFailure: run.lastFailure,
        loadavg: (await import('node:os')).loadavg().map(x => x.toFixed(2)).join(' ')
      }
      results.push(r)
      console.error(JSON.stringify(r))
      if (opts.json) appendFileSync(opts.json, JSON.stringify(r) + '\n')
    } finally {
      await stopServer(server)
    }
  }
}

const median = xs => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2 }
const cell = (rows, key) => {
  const xs = rows.map(r => r[key]).filter(Number.isFinite)
  if (!xs.length) return 'n/a'
  return xs.length === 1 ? String(xs[0]) : `${median(xs)} [${Math.min(...xs)}–${Math.max(...xs)}]`
}
const lines = [
  `${PEERS} simulated trystero peers in ${ROOMS} rooms, ${REPS} repetitions (median [min–max]); warm-up ${WARM_S} s ` +
    `(announces every ${WARM_PERIOD_MS} ms), steady phase ${STEADY_S} s (announces every ${PERIOD_MS} ms)`,
  '',
  '| server | all have an offer ms | all have an answer ms | connect CPU ms / peer | join CPU ms / peer | steady msgs/s | steady CPU % (of it kernel) | steady CPU ms / peer / s | base RSS MiB | RSS KiB / peer | failures |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|'
]
for (const kind of opts.servers.split(/\s+/).filter(Boolean)) {
  const rows = results.filter(r => r.server === kind)
  lines.push(`| ${kind} | ${cell(rows, 'allOffersMs')} | ${cell(rows, 'allAnswersMs')} | ${cell(rows, 'connectCpuMsPerPeer')} | ${cell(rows, 'joinCpuMsPerPeer')} | ${cell(rows, 'steadyMessagesPerS')} | ${cell(rows, 'steadyCpuPercent')} (${cell(rows, 'steadySysPercent')}) | ${cell(rows, 'steadyCpuMsPerPeerPerS')} | ${cell(rows, 'baseRssMiB')} | ${cell(rows, 'rssKiBPerPeer')} | ${cell(rows, 'failures')} |`)
}
const ours = results.filter(r => r.server === 'ours')
const ref = results.filter(r => r.server === 'reference')
if (ours.length && ref.length) {
  const ratio = key => (median(ours.map(r => r[key])) / median(ref.map(r => r[key]))).toFixed(2)
  lines.push('', `ratios ours / reference (medians): join CPU ${ratio('joinCpuMsPerPeer')}x, steady CPU ${ratio('steadyCpuMsPerPeerPerS')}x, ` +
    `RSS per peer ${ratio('rssKiBPerPeer')}x, time to all offers ${ratio('allOffersMs')}x`)
}
console.log(lines.join('\n'))
if (opts.json) writeFileSync(opts.json + '.md', lines.join('\n') + '\n')
process.exit(0)
