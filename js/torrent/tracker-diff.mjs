// Differential check of a WebTorrent tracker against bittorrent-tracker 11.2.3's own server: the
// same two scenarios run against the tracker under test (--ours <ws-url>) and against a real
// bittorrent-tracker Server started here on a loopback port, and both transcripts are printed as
// one JSON line {ours, reference} for the Java test to compare exactly.
//  1. "client": the npm bittorrent-tracker client library (its WebSocket tracker code, with a
//     stand-in WebRTC peer, see fake-peer.mjs): three clients start, exchange offers and answers,
//     scrape, complete, stop and leave; what each client emits is recorded.
//  2. "raw": hand-written frames on raw sockets (protocol corners and bad input); every frame each
//     socket receives after each step is recorded, text exactly as received.
// Usage: node tracker-diff.mjs --ours ws://127.0.0.1:PORT/announce [--only client|raw]
import { register } from 'node:module'
import { parseArgs } from 'node:util'

register('./fake-peer-hooks.mjs', import.meta.url)
const { Client, Server } = await import('bittorrent-tracker')
const { resetFakePeers } = await import('./fake-peer.mjs')
const { WebSocket } = await import('ws')

const { values: args } = parseArgs({ options: { ours: { type: 'string' }, only: { type: 'string' } } })
if (!args.ours) {
  console.error('usage: node tracker-diff.mjs --ours ws://127.0.0.1:PORT/announce [--only client|raw]')
  process.exit(2)
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))
const waitFor = async (what, condition, ms = 8000) => {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) return 'timed out waiting for ' + what
    await sleep(5)
  }
  return null
}

async function startReference () {
  const server = new Server({ udp: false, http: false, stats: false, ws: true })
  server.on('warning', () => {}) // bad input makes the reference emit warnings; they are not errors
  server.on('error', e => { console.error('reference server error: ' + e.message) })
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
  return { url: 'ws://127.0.0.1:' + server.http.address().port + '/announce', close: () => server.close() }
}

const hex = c => c.repeat(40)
const INFO_HASH = hex('c')

// ---- scenario 1: the bittorrent-tracker client library ----
async function clientScenario (url) {
  resetFakePeers()
  const log = { a: [], b: [], c: [] }
  const problems = []
  const clients = {}
  const make = (name, peerHex, n) => {
    // one socket per client: the library pools sockets by announce URL, so each gets its own URL
    const client = new Client({ infoHash: INFO_HASH, peerId: peerHex, announce: [url + '?client=' + n], port: 6881 })
    const record = (type, data) => log[name].push({ type, ...data })
    client.on('update', d => record('update', { complete: d.complete, incomplete: d.incomplete, interval: d.interval, infoHash: d.infoHash, action: d.action }))
    client.on('peer', p => { record('peer', { id: p.id }); p.on('error', () => {}) })
    client.on('scrape', d => record('scrape', { complete: d.complete, incomplete: d.incomplete, downloaded: d.downloaded, infoHash: d.infoHash }))
    client.on('warning', e => record('warning', { message: e.message }))
    client.on('error', e => record('error', { message: e.message }))
    clients[name] = client
    return client
  }
  const count = (name, type) => log[name].filter(e => e.type === type).length
  const phases = []
  const phase = async (label, act, waits) => {
    const before = Object.fromEntries(Object.keys(log).map(k => [k, log[k].length]))
    act()
    for (const [what, cond] of waits) {
      const problem = await waitFor(label + ': ' + what, cond)
      if (problem) problems.push(problem)
    }
    await sleep(150) // anything else that would arrive
    const seen = {}
    for (const k of Object.keys(log)) {
      // order within a phase depends on timing, so each phase's events are compared as a sorted list
      seen[k] = log[k].slice(before[k]).map(e => JSON.stringify(e)).sort()
    }
    phases.push({ label, seen })
  }
  const a = make('a', hex('a'), 1)
  await phase('a starts alone', () => a.start(), [['a update', () => count('a', 'update') >= 1]])
  const b = make('b', hex('b'), 2)
  await phase('b starts: its offer reaches a, a answers', () => b.start(), [
    ['b update', () => count('b', 'update') >= 1],
    ['a peer', () => count('a', 'peer') >= 1],
    ['b peer', () => count('b', 'peer') >= 1]])
  const c = make('c', hex('c'), 3)
  await phase('c starts: one offer to each of a and b', () => c.start(), [
    ['c update', () => count('c', 'update') >= 1],
    ['a peer', () => count('a', 'peer') >= 2],
    ['b peer', () => count('b', 'peer') >= 2],
    ['c peers', () => count('c', 'peer') >= 2]])
  await phase('a scrapes', () => a.scrape(), [['a scrape', () => count('a', 'scrape') >= 1]])
  await phase('a completes', () => a.complete(), [['a update', () => count('a', 'update') >= 2]])
  await phase('b stops', () => b.stop(), [['b update', () => count('b', 'update') >= 2]])
  await phase('c leaves (socket closed)', () => c.destroy(), [])
  await phase('a scrapes again', () => a.scrape(), [['a scrape', () => count('a', 'scrape') >= 2]])
  await phase('a updates', () => a.update(), [['a update', () => count('a', 'update') >= 3]])
  for (const client of [a, b]) client.destroy()
  await sleep(100)
  return { phases, problems }
}

// ---- scenario 2: raw frames ----
const id = prefix => (prefix + '.'.repeat(20)).slice(0, 20)
const H1 = id('swarm-one')
const H2 = id('swarm-two')
const P = [0, 1, 2, 3].map(i => id('peer-' + i))
const announce = (hash, peer, extra = {}) => JSON.stringify({ action: 'announce', info_hash: hash, peer_id: peer, ...extra })
const offers = (...ids) => ({ numwant: ids.length, offers: ids.map(i => ({ offer_id: id(i), offer: { type: 'offer', sdp: 'sdp of ' + i } })) })

// [label, socket index, frame (string, or {binary: string}), options]
// random: which socket gets which offer is chosen at random by both trackers, so that step is
// compared as the multiset of frames and the multiset of receiving sockets.
const STEPS = [
  ['0 joins with an offer, alone', 0, announce(H1, P[0], { event: 'started', ...offers('o-1') })],
  ['1 joins: its first offer goes to 0', 1, announce(H1, P[1], offers('o-2', 'o-3'))],
  ['0 answers 1', 0, announce(H1, P[0], { to_peer_id: P[1], offer_id: id('o-2'), answer: { type: 'answer', sdp: 'answer to o-2' } })],
  ['2 joins as a seeder with two offers: one each to 0 and 1', 2, announce(H1, P[2], { left: 0, ...offers('o-4', 'o-5') }), { random: true }],
  ['3 scrapes one swarm', 3, JSON.stringify({ action: 'scrape', info_hash: H1 })],
  ['3 scrapes a list with a repeat and an unknown swarm', 3, JSON.stringify({ action: 'scrape', info_hash: [H1, H2, H1] })],
  ['3 scrapes an empty list', 3, JSON.stringify({ action: 'scrape', info_hash: [] })],
  ['1 completes', 1, announce(H1, P[1], { event: 'completed' })],
  ['1 pauses', 1, announce(H1, P[1], { event: 'paused' })],
  ['1 sends event empty', 1, announce(H1, P[1], { event: 'empty' })],
  ['1 sends event ""', 1, announce(H1, P[1], { event: '' })],
  ['1 stops', 1, announce(H1, P[1], { event: 'stopped' })],
  ['0 stops in a swarm it never joined', 0, announce(H2, P[0], { event: 'stopped' })],
  ['3 announces in a binary frame', 3, { binary: announce(H2, P[3]) }],
  ['3 sends the JSON array [1,2]', 3, '[1,2]'],
  ['3 sends no info_hash', 3, JSON.stringify({ action: 'announce', peer_id: P[3] })],
  ['3 sends a 19-character info_hash', 3, announce(H1.slice(1), P[3])],
  ['3 sends a number as info_hash', 3, JSON.stringify({ action: 'announce', info_hash: 12345, peer_id: P[3] })],
  ['3 sends a 21-character peer_id', 3, announce(H1, P[3] + 'x')],
  ['3 answers without to_peer_id', 3, announce(H1, P[3], { answer: { type: 'answer', sdp: 'x' }, offer_id: id('o-1') })],
  ['3 answers with a short to_peer_id', 3, announce(H1, P[3], { answer: { type: 'answer', sdp: 'x' }, offer_id: id('o-1'), to_peer_id: 'short' })],
  ['3 sends action nope', 3, JSON.stringify({ action: 'nope' })],
  ['3 sends action 5', 3, JSON.stringify({ action: 5 })],
  ['3 sends action null', 3, JSON.stringify({ action: null })],
  ['3 sends action [1,2]', 3, JSON.stringify({ action: [1, 2] })],
  ['3 sends action {}', 3, JSON.stringify({ action: {} })],
  ['3 sends event bogus', 3, announce(H2, P[3], { event: 'bogus' })],
  ['3 scrapes with a short info_hash', 3, JSON.stringify({ action: 'scrape', info_hash: ['short'] })],
  ['3 still works after all that: one offer each to 0 and 2', 3, announce(H1, P[3], offers('o-6', 'o-7')), { random: true }],
  ['0 leaves by closing its socket', 0, 'close'],
  ['3 scrapes after 0 left', 3, JSON.stringify({ action: 'scrape', info_hash: H1 })],
  // where the trackers differ on purpose (asserted one by one in TrackerInteropTest)
  ['3 sends text that is not JSON', 3, 'not json'],
  ['3 sends the JSON number 5', 3, '5'],
  ['3 sends JSON null', 3, 'null'],
  ['3 answers a peer that is not in the swarm', 3, announce(H1, P[3], { to_peer_id: id('nobody'), offer_id: id('o-9'), answer: { type: 'answer', sdp: 'x' } })],
  ['3 scrapes without info_hash', 3, JSON.stringify({ action: 'scrape' })],
  ['3 sends offers that are not an array', 3, announce(H1, P[3], { offers: 'abc' })],
  ['3 sends an offer that is not an object', 3, announce(H1, P[3], { offers: [5] })],
  ['3 announces with the peer_id 2 holds', 3, announce(H1, P[2])]
]

async function rawScenario (url) {
  const sockets = []
  const inbox = []
  for (let i = 0; i < 4; i++) {
    const ws = new WebSocket(url)
    inbox.push([])
    ws.on('message', (data, isBinary) => inbox[i].push((isBinary ? 'binary:' : '') + data.toString()))
    ws.on('error', () => {})
    await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject) })
    sockets.push(ws)
  }
  const transcript = []
  let last = Date.now()
  for (const [label, index, frame, options = {}] of STEPS) {
    for (const box of inbox) box.length = 0
    const ws = sockets[index]
    if (frame === 'close') {
      ws.close()
      await new Promise(resolve => ws.once('close', resolve))
    } else if (typeof frame === 'object') {
      ws.send(Buffer.from(frame.binary), { binary: true })
    } else {
      ws.send(frame)
    }
    // a step is over when nothing has arrived for 100 ms (loopback delivers within a millisecond)
    const counts = () => inbox.reduce((n, box) => n + box.length, 0)
    let seen = -1
    last = Date.now()
    for (;;) {
      await sleep(20)
      if (counts() !== seen) {
        seen = counts()
        last = Date.now()
      } else if (Date.now() - last >= 100) {
        break
      }
    }
    const received = inbox.map(box => box.slice())
    if (options.random) {
      const frames = received.flat().sort()
      const receivers = received.flatMap((box, i) => box.map(() => i)).sort()
      transcript.push({ label, random: true, frames, receivers })
    } else {
      transcript.push({ label, received })
    }
  }
  for (const ws of sockets) ws.close()
  return transcript
}

const result = {}
for (const side of ['reference', 'ours']) {
  const reference = side === 'reference' ? await startReference() : null
  const url = reference ? reference.url : args.ours
  try {
    result[side] = {}
    if (args.only !== 'raw') result[side].client = await clientScenario(url)
    if (args.only !== 'client') result[side].raw = await rawScenario(url)
  } finally {
    if (reference) reference.close()
  }
}
console.log(JSON.stringify(result))
// the client library keeps reconnect timers (unref'd) and sockets; nothing else is pending
setTimeout(() => process.exit(0), 50)
