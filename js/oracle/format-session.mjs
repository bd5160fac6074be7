// Formatting-heavy seeded sessions on real Yjs, for the Java formatting differential
// (crdt YjsFormattingDifferentialTest). One call does everything on the Yjs side:
//
// 1. peers: 2-4 clients edit rich text concurrently — `format` on overlapping and adjacent ranges, attribute
//    removal (null), inserts inside and at the edges of formatted runs (inheriting, explicit attributes, or
//    explicitly none), embeds with attributes, deletes of whole formatted runs, `applyDelta` with
//    retain+attributes / insert / delete, and (on half of the sessions) UndoManager undo/redo — on a root
//    Y.Text, a Y.Text nested in a map and two Y.XmlText in an XML fragment. Peers exchange what they
//    broadcast (every update event whose origin is not 'remote': local edits, undo/redo, and the formatting
//    cleanup transactions Yjs runs after a remote change) a few at a time, each in its own transaction.
//    The script of these steps is returned so Java replays it with the same client ids and must emit the
//    same update events (v1 and v2).
// 2. receivers: the broadcast list is applied to fresh docs in several delivery orders — emission order,
//    shuffled, duplicated, split into two halves with a state sync in between — each update in its own
//    transaction, the roots declared before, half-way through, or only after the updates. Java applies the
//    same lists (indices are returned) and must end with the same bytes and emit the same events.
// 3. snapshots: on the emission-order receiver, snapshots taken while applying, then toDelta(snapshot,
//    prevSnapshot) with and without a computeYChange, for every text.
//
// Everything needed to compare is returned: what each doc holds (observeFormat), every update event.
import * as Y from 'yjs'
import { rng } from './session.mjs'
import { b64, typedDeltaOp } from './values.mjs'

// attribute sets: the same few keys again and again so that ranges overlap, `null` removes
const ATTRS = [
  { bold: true }, { bold: true }, { bold: null }, { italic: true }, { italic: null },
  { link: { href: 'https://a.test/' } }, { link: { href: 'https://b.test/' } }, { link: null },
  { color: '#f00' }, { color: '#00f' }, { color: null }, { size: 12 },
  { bold: true, italic: true }, { bold: null, link: { href: 'https://a.test/' } }, { italic: true, color: null }
]
const CHARS = ['a', 'b', 'c', 'x', ' ', '\n', 'ä', 'ß', '中', '😀']

const randText = (r) => {
  let s = ''
  const n = 1 + r.int(3)
  for (let i = 0; i < n; i++) s += r.bool(0.9) ? r.pick(CHARS.slice(0, 9)) : r.pick(CHARS)
  return s
}

/** The texts a session edits, by path. */
export const TEXT_PATHS = [['text'], ['map', 'note'], ['xml', 0, 0], ['xml', 1]]

export const resolveText = (doc, path) => {
  if (path[0] === 'text') return doc.getText('text')
  if (path[0] === 'map') return doc.getMap('map').get(path[1])
  let t = doc.getXmlFragment('xml')
  for (const i of path.slice(1)) {
    if (!(t instanceof Y.XmlFragment) || i >= t.length) return undefined // structure not (yet) there
    t = t.get(i)
  }
  return t
}

/** Run starts/ends of a text's delta (index 0, every attribute change, the end). */
const boundaries = (t) => {
  const b = [0]
  let pos = 0
  for (const op of t.toDelta()) {
    pos += typeof op.insert === 'string' ? op.insert.length : 1
    b.push(pos)
  }
  return b
}

const near = (r, b, len) => Math.max(0, Math.min(len, r.pick(b) + (r.bool(0.7) ? 0 : r.pick([-1, 1]))))

const pickIndex = (r, t) => (r.bool(0.65) ? near(r, boundaries(t), t.length) : r.int(t.length + 1))

// a fresh copy each time: Yjs's insert adds `key: null` entries to the attributes object it is given
const pickAttrs = (r) => JSON.parse(JSON.stringify(r.pick(ATTRS)))
const copy = (v) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)))

/** One random formatting-heavy operation on client doc `doc`; most go to the session's `focus` text. */
const randOp = (r, doc, focus) => {
  const path = r.bool(0.7) && resolveText(doc, focus) instanceof Y.Text
    ? focus : r.pick(TEXT_PATHS.filter(p => resolveText(doc, p) instanceof Y.Text))
  const t = resolveText(doc, path)
  const len = t.length
  const x = r.next()
  if (x < 0.05) return { t: 'map', key: r.pick(['k1', 'k2']), value: r.int(100) }
  if (len > 0 && x < 0.37) {
    const b = boundaries(t)
    const index = Math.min(near(r, b, len), len - 1)
    let end = r.bool(0.6) ? near(r, b, len) : index + 1 + r.int(len - index)
    if (end <= index) end = Math.min(len, index + 1 + r.int(3))
    return { t: 'fmt', path, index, len: end - index, attrs: pickAttrs(r) }
  }
  if (len > 0 && x < 0.5) {
    if (r.bool(0.6)) {
      // a whole formatted run (sometimes with its neighbour)
      const d = t.toDelta()
      const k = r.int(d.length)
      let start = 0
      for (let i = 0; i < k; i++) start += typeof d[i].insert === 'string' ? d[i].insert.length : 1
      let l = typeof d[k].insert === 'string' ? d[k].insert.length : 1
      if (k + 1 < d.length && r.bool(0.3)) l += typeof d[k + 1].insert === 'string' ? d[k + 1].insert.length : 1
      return { t: 'del', path, index: start, len: l }
    }
    const index = r.int(len)
    return { t: 'del', path, index, len: 1 + r.int(Math.min(4, len - index)) }
  }
  if (x < 0.58) {
    return { t: 'embed', path, index: pickIndex(r, t), embed: { image: 'i' + r.int(10) }, attrs: r.bool(0.6) ? pickAttrs(r) : undefined }
  }
  if (x < 0.75) {
    // applyDelta: retain to a position, then retain with attributes / insert / delete (one or two of them)
    const ops = []
    let pos = 0
    const at = pickIndex(r, t)
    if (at > 0) { ops.push({ retain: at }); pos = at }
    const n = 1 + r.int(2)
    for (let i = 0; i < n; i++) {
      const y = r.next()
      const rest = len - pos
      if (y < 0.5) {
        // retain with attributes; sometimes past the end (Yjs then appends newlines)
        const l = rest > 0 && r.bool(0.9) ? 1 + r.int(rest) : 1 + r.int(2)
        ops.push({ retain: l, attributes: pickAttrs(r) })
        pos += l
      } else if (y < 0.8) {
        const op = { insert: randText(r) }
        if (r.bool(0.7)) op.attributes = pickAttrs(r)
        ops.push(op)
      } else if (rest > 0) {
        const l = 1 + r.int(Math.min(3, rest))
        ops.push({ delete: l })
      } else {
        ops.push({ insert: { image: 'd' + r.int(5) }, attributes: pickAttrs(r) })
      }
    }
    return { t: 'delta', path, delta: ops }
  }
  const k = r.int(3)
  return { t: 'ins', path, index: pickIndex(r, t), text: randText(r), attrs: k === 0 ? undefined : (k === 1 ? {} : pickAttrs(r)) }
}

export const applyFormatOp = (doc, op) => {
  if (op.t === 'map') { doc.getMap('map').set(op.key, op.value); return }
  const t = resolveText(doc, op.path)
  switch (op.t) {
    case 'fmt': t.format(op.index, op.len, copy(op.attrs)); break
    case 'del': t.delete(op.index, op.len); break
    case 'embed': t.insertEmbed(op.index, copy(op.embed), copy(op.attrs)); break
    case 'ins': t.insert(op.index, op.text, copy(op.attrs)); break
    case 'delta': t.applyDelta(copy(op.delta)); break
    default: throw new Error('unknown op ' + op.t)
  }
}

const declareRoots = (doc) => {
  doc.getText('text')
  doc.getMap('map')
  doc.getXmlFragment('xml')
}

/** Every text of a doc (the four paths, where they hold a text), the XML string, state and bytes. */
export const observeFormat = (doc) => {
  declareRoots(doc)
  const deltas = {}
  for (const p of TEXT_PATHS) {
    const t = resolveText(doc, p)
    if (t instanceof Y.Text) deltas[p.join('/')] = t.toDelta().map(typedDeltaOp)
  }
  return {
    deltas,
    xml: doc.getXmlFragment('xml').toString(),
    sv: b64(Y.encodeStateVector(doc)),
    update: b64(Y.encodeStateAsUpdate(doc)),
    updateV2: b64(Y.encodeStateAsUpdateV2(doc)),
    pending: doc.store.pendingStructs !== null || doc.store.pendingDs !== null
  }
}

/** A doc that records its v1 and v2 update events. */
const recordingDoc = (clientId, gc) => {
  const d = new Y.Doc({ gc })
  d.clientID = clientId
  const rec = { doc: d, events: [], eventsV2: [] }
  d.on('update', (u) => rec.events.push(b64(u)))
  d.on('updateV2', (u) => rec.eventsV2.push(b64(u)))
  return rec
}

/**
 * Replays the peers' script. script = { clients: [id...], gc, undo: false | { captureTimeout, trackNull }, steps }
 * with step = { c: 0, setup: true } (runSetup, done by generatePeers) | { c, ops } (one transaction, origin
 * 'local') | { c, um: 'undo'|'redo' } | { to, updates: [i...] } (broadcast updates #i applied to client `to`,
 * each in its own transaction, origin 'remote').
 */
export class FormatPeers {
  constructor (script) {
    this.script = script
    this.broadcast = [] // b64, in emission order
    this.broadcastBy = []
    this.peers = script.clients.map((id, i) => {
      const rec = recordingDoc(id, script.gc)
      declareRoots(rec.doc)
      rec.doc.on('update', (u, origin) => {
        if (origin !== 'remote') { this.broadcast.push(b64(u)); this.broadcastBy.push(i) }
      })
      if (script.undo) {
        // captureTimeout 0 (never merge) or huge (always merge: no clock involved either way); tracking null
        // also records the formatting cleanups the engine runs after remote changes
        rec.um = new Y.UndoManager([rec.doc.getText('text'), rec.doc.getMap('map'), rec.doc.getXmlFragment('xml')],
          { trackedOrigins: new Set(script.undo.trackNull ? ['local', null] : ['local']), captureTimeout: script.undo.captureTimeout })
      }
      return rec
    })
  }

  step (s) {
    if (s.ops) {
      const d = this.peers[s.c].doc
      d.transact(() => { for (const op of s.ops) applyFormatOp(d, op) }, 'local')
    } else if (s.um) {
      const um = this.peers[s.c].um
      if (s.um === 'undo') um.undo()
      else um.redo()
    } else {
      const d = this.peers[s.to].doc
      for (const i of s.updates) Y.applyUpdate(d, Buffer.from(this.broadcast[i], 'base64'), 'remote')
    }
  }
}

/** The initial structure, made by client 0 in one transaction and delivered to everyone first. */
const runSetup = (doc) => {
  doc.transact(() => {
    doc.getText('text').insert(0, 'Hello world', { bold: true })
    doc.getText('text').insert(11, ' again')
    const note = new Y.Text()
    doc.getMap('map').set('note', note)
    note.insert(0, 'note text')
    note.format(0, 4, { italic: true })
    const p = new Y.XmlElement('p')
    const xt = new Y.XmlText()
    const xt2 = new Y.XmlText()
    doc.getXmlFragment('xml').insert(0, [p, xt2])
    p.insert(0, [xt])
    xt.insert(0, 'para one', { bold: true })
    xt2.insert(0, 'tail')
  }, 'setup') // not 'local': the undo managers must not undo the structure
}

export const generatePeers = (o) => {
  const r = rng(o.seed)
  const n = 2 + r.int(3)
  const ids = new Set()
  while (ids.size < n) ids.add(r.bool(0.15) ? 1 + r.int(50) : r.uint32())
  const undo = r.bool(0.5) ? { captureTimeout: r.bool(0.7) ? 0 : 2147483647, trackNull: r.bool(0.5) } : false
  const script = { clients: [...ids], gc: o.gc !== false, undo, steps: [] }
  const peers = new FormatPeers(script)
  // setup: client 0 builds the structure; everyone receives it
  const setup = { c: 0, setup: true }
  runSetup(peers.peers[0].doc)
  script.steps.push(setup)
  for (let c = 1; c < n; c++) {
    const st = { to: c, updates: [0] }
    peers.step(st); script.steps.push(st)
  }
  const seen = peers.peers.map((_, i) => new Set(i === 0 ? [] : [0]))
  peers.broadcastBy.forEach((by, i) => seen[by].add(i))
  const missing = (c) => peers.broadcast.map((_, i) => i).filter(i => !seen[c].has(i) && peers.broadcastBy[i] !== c)
  const deliver = (c, list) => {
    const before = peers.broadcast.length
    const st = { to: c, updates: list }
    peers.step(st); script.steps.push(st)
    list.forEach(i => seen[c].add(i))
    for (let i = before; i < peers.broadcast.length; i++) seen[peers.broadcastBy[i]].add(i)
  }
  const steps = o.steps ?? (16 + r.int(25))
  // concurrency makes cleanups: peers edit several times between deliveries, mostly the same text
  const syncRate = 0.1 + r.next() * 0.25
  const focus = r.pick(TEXT_PATHS)
  for (let s = 0; s < steps; s++) {
    const c = r.int(n)
    if (r.bool(syncRate)) {
      const m = missing(c)
      if (m.length > 0) {
        let subset = m.filter(() => r.bool(0.6))
        if (subset.length === 0) subset = [r.pick(m)]
        if (r.bool(0.3)) subset.reverse()
        deliver(c, subset)
        continue
      }
    }
    if (script.undo && r.bool(0.12)) {
      const before = peers.broadcast.length
      const st = { c, um: r.bool(0.65) ? 'undo' : 'redo' }
      peers.step(st); script.steps.push(st)
      for (let i = before; i < peers.broadcast.length; i++) seen[c].add(i)
      continue
    }
    const doc = peers.peers[c].doc
    const ops = []
    const count = 1 + (r.bool(0.3) ? r.int(3) : 0)
    const before = peers.broadcast.length
    doc.transact(() => {
      for (let i = 0; i < count; i++) {
        const op = randOp(r, doc, focus)
        applyFormatOp(doc, op)
        ops.push(op)
      }
    }, 'local')
    script.steps.push({ c, ops })
    for (let i = before; i < peers.broadcast.length; i++) seen[c].add(i)
  }
  // everyone gets everything (cleanups on receipt broadcast more, so a few rounds)
  for (let round = 0; round < 4; round++) {
    let any = false
    for (let c = 0; c < n; c++) {
      const m = missing(c)
      if (m.length > 0) { any = true; deliver(c, m) }
    }
    if (!any) break
  }
  return { r, script, peers }
}

const shuffle = (r, a) => {
  for (let i = a.length - 1; i > 0; i--) {
    const j = r.int(i + 1)
    const t = a[i]; a[i] = a[j]; a[j] = t
  }
  return a
}

/**
 * A receiver: a fresh doc with client id `clientId` that applies `order` (indices into the broadcast list),
 * each in its own transaction; declare = 'before' | 'mid' | 'after' says when the roots are declared.
 */
const receive = (broadcast, order, declare, clientId, gc, snapshots, observe) => {
  const rec = recordingDoc(clientId, gc)
  const d = rec.doc
  rec.textEvents = []
  const declare0 = () => {
    declareRoots(d)
    if (observe) observeTexts(d, rec.textEvents)
  }
  if (declare === 'before') declare0()
  const snaps = []
  order.forEach((i, k) => {
    if (declare === 'mid' && k === Math.floor(order.length / 2)) declare0()
    Y.applyUpdate(d, Buffer.from(broadcast[i], 'base64'))
    if (snapshots && snapshots.includes(k)) snaps.push(Y.snapshot(d))
  })
  return { rec, snaps }
}

const snapshotDeltas = (doc, snaps) => {
  // pairs: (last, first), (last, middle), (middle, first), (undefined, first); each text, both ychange forms
  const out = []
  if (snaps.length < 2) return out
  const pairs = [[snaps.length - 1, 0], [snaps.length - 1, Math.floor(snaps.length / 2)], [Math.floor(snaps.length / 2), 0], [-1, 0]]
  const byUser = (type, id) => ({ type, user: id.client })
  declareRoots(doc)
  for (const [a, b] of pairs) {
    for (const p of TEXT_PATHS) {
      const t = resolveText(doc, p)
      if (!(t instanceof Y.Text)) continue
      const sa = a < 0 ? undefined : snaps[a]
      out.push({ path: p.join('/'), a, b, plain: t.toDelta(sa, snaps[b]).map(typedDeltaOp), user: t.toDelta(sa, snaps[b], byUser).map(typedDeltaOp) })
    }
  }
  return out
}

/**
 * Deep observers on the three roots (so the engine computes events while the formatting cleanup is pending);
 * records every text event's path and delta as the observer sees it.
 */
const observeTexts = (d, out) => {
  for (const [name, t] of [['text', d.getText('text')], ['map', d.getMap('map')], ['xml', d.getXmlFragment('xml')]]) {
    t.observeDeep((events) => {
      for (const e of events) {
        if (e.target instanceof Y.Text) out.push({ root: name, path: e.path, delta: e.delta.map(typedDeltaOp) })
      }
    })
  }
}

/** The whole Yjs side of one formatting session. */
export const formatSession = (o) => {
  const { r, script, peers } = generatePeers(o)
  const gc = script.gc
  const m = peers.broadcast.length
  const all = [...Array(m).keys()]
  const declares = ['before', 'mid', 'after']
  const orders = []
  const emission = { name: 'emission', list: all, declare: r.pick(declares) }
  orders.push(emission)
  orders.push({ name: 'shuffled', list: shuffle(r, [...all]), declare: r.pick(declares) })
  const dup = shuffle(r, [...all])
  for (let k = 0, extra = 1 + Math.floor(m / 4); k < extra; k++) dup.splice(r.int(dup.length + 1), 0, r.int(m))
  orders.push({ name: 'duplicated', list: dup, declare: r.pick(declares) })
  const split = shuffle(r, [...all])
  const half = Math.floor(m / 2)
  const splitOrder = { name: 'split', a: split.slice(0, half), b: split.slice(half), declare: r.pick(declares) }
  // snapshot points on the emission-order receiver
  const snapAt = [...new Set([0, Math.floor(m / 3), Math.floor((2 * m) / 3), m - 1].filter(k => k >= 0))]
  const results = []
  for (const ord of orders) {
    ord.observe = r.bool(0.5)
    const { rec, snaps } = receive(peers.broadcast, ord.list, ord.declare, 1000 + results.length, gc, ord === emission ? snapAt : null, ord.observe)
    const res = { name: ord.name, events: rec.events, eventsV2: rec.eventsV2, textEvents: rec.textEvents, state: observeFormat(rec.doc) }
    if (ord === emission) {
      res.snapshots = snaps.map(s => b64(Y.encodeSnapshot(s)))
      res.snapshotDeltas = snapshotDeltas(rec.doc, snaps)
      res.afterSnapshots = b64(Y.encodeStateAsUpdate(rec.doc))
      res.eventsAfterSnapshots = rec.events.length
    }
    results.push(res)
  }
  // split: A gets the first half, B the second, then state syncs A<-B, B<-A, A<-B (each its own transaction)
  const A = receive(peers.broadcast, splitOrder.a, splitOrder.declare, 2001, gc, null).rec
  const B = receive(peers.broadcast, splitOrder.b, splitOrder.declare, 2002, gc, null).rec
  const syncs = []
  const sync = (to, from) => {
    const u = Y.encodeStateAsUpdate(from.doc, Y.encodeStateVector(to.doc))
    syncs.push(b64(u))
    Y.applyUpdate(to.doc, u)
  }
  sync(A, B); sync(B, A); sync(A, B)
  results.push({ name: 'split', syncs, a: { events: A.events, eventsV2: A.eventsV2, state: observeFormat(A.doc) }, b: { events: B.events, eventsV2: B.eventsV2, state: observeFormat(B.doc) } })
  return {
    script,
    broadcast: peers.broadcast,
    broadcastBy: peers.broadcastBy,
    peers: peers.peers.map(p => ({ events: p.events, eventsV2: p.eventsV2, state: observeFormat(p.doc) })),
    orders: [...orders.map(o => ({ name: o.name, list: o.list, declare: o.declare, observe: o.observe })), { name: 'split', a: splitOrder.a, b: splitOrder.b, declare: splitOrder.declare }],
    snapAt,
    results
  }
}
