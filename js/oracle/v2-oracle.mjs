// Long-lived Yjs oracle for the crdt module's v2 / update-function / snapshot tests
// (nodenogg.crdt.UpdateV2InteropTest, UpdateFunctionsInteropTest, SnapshotInteropTest).
// Reads one JSON request per line on stdin, answers one JSON line on stdout: {ok, result} or {ok:false, error}.
import * as Y from 'yjs'
import * as readline from 'node:readline'

const hex = u => Buffer.from(u).toString('hex')
const unhex = h => new Uint8Array(Buffer.from(h, 'hex'))

// runs the op script (format of js/oracle/replay.mjs, plus 'syncV2'); afterOp(docs, opIndex) after each op
const run = (input, afterOp = () => {}) => {
  const docs = input.clients.map(() => new Y.Doc({ gc: input.gc }))
  docs.forEach((d, i) => { d.clientID = input.clients[i]; d.getText('t'); d.getMap('m'); d.getArray('a') })
  const v1 = docs.map(() => [])
  const v2 = docs.map(() => [])
  docs.forEach((d, i) => {
    d.on('update', u => v1[i].push(hex(u)))
    d.on('updateV2', u => v2[i].push(hex(u)))
  })
  input.ops.forEach((o, k) => {
    const d = docs[o.d]
    switch (o.op) {
      case 'tins': d.getText('t').insert(o.idx, o.s, o.attrs === undefined ? undefined : o.attrs); break
      case 'tdel': d.getText('t').delete(o.idx, o.len); break
      case 'tfmt': d.getText('t').format(o.idx, o.len, o.attrs); break
      case 'tembed': d.getText('t').insertEmbed(o.idx, o.v, o.attrs === undefined ? undefined : o.attrs); break
      case 'mset': d.getMap('m').set(o.k, o.v); break
      case 'mdel': d.getMap('m').delete(o.k); break
      case 'mnest': { const m = new Y.Map(); m.set('x', o.v); d.getMap('m').set(o.k, m); break }
      case 'ains': d.getArray('a').insert(o.idx, o.vals); break
      case 'adel': d.getArray('a').delete(o.idx, o.len); break
      case 'sync': Y.applyUpdate(docs[o.to], Y.encodeStateAsUpdate(docs[o.from], Y.encodeStateVector(docs[o.to]))); break
      case 'syncV2': Y.applyUpdateV2(docs[o.to], Y.encodeStateAsUpdateV2(docs[o.from], Y.encodeStateVector(docs[o.to]))); break
    }
    afterOp(docs, k)
  })
  return { docs, v1, v2 }
}

const replay = (input) => {
  const { docs, v1, v2 } = run(input)
  return {
    v1,
    v2,
    statesV1: docs.map(d => hex(Y.encodeStateAsUpdate(d))),
    statesV2: docs.map(d => hex(Y.encodeStateAsUpdateV2(d))),
    svs: docs.map(d => hex(Y.encodeStateVector(d)))
  }
}

// snapshots of every doc after the ops listed in input.snapshotsAt; then, per doc, in this order:
// toDelta(snap k), toDelta(snap k+1, snap k), the same with computeYChange, createDocFromSnapshot(snap k) state,
// equalSnapshots(k, k+1), and snapshotContainsUpdate(snap k, every v1 update event of every doc)
const snapshots = (input) => {
  const at = new Set(input.snapshotsAt)
  const snaps = input.clients.map(() => [])
  const { docs, v1 } = run(input, (ds, k) => { if (at.has(k)) ds.forEach((d, i) => snaps[i].push(Y.snapshot(d))) })
  const all = v1.flat()
  const yc = (type, id) => ({ type, user: id.client })
  return docs.map((d, i) => {
    const s = snaps[i]
    const t = d.getText('t')
    return {
      v1: s.map(x => hex(Y.encodeSnapshot(x))),
      v2: s.map(x => hex(Y.encodeSnapshotV2(x))),
      delta: s.map(x => JSON.stringify(t.toDelta(x))),
      diff: s.slice(1).map((x, k) => JSON.stringify(t.toDelta(x, s[k]))),
      diffYChange: s.slice(1).map((x, k) => JSON.stringify(t.toDelta(x, s[k], yc))),
      docFrom: s.map(x => hex(Y.encodeStateAsUpdate(Y.createDocFromSnapshot(d, x)))),
      equal: s.slice(1).map((x, k) => Y.equalSnapshots(x, s[k])),
      contains: s.map(x => all.map(u => Y.snapshotContainsUpdate(x, unhex(u)))),
      state: hex(Y.encodeStateAsUpdate(d)),
      arr: s.map(x => JSON.stringify(Y.typeListToArraySnapshot(d.getArray('a'), x))),
      mapAll: s.map(x => JSON.stringify(Y.typeMapGetAllSnapshot(d.getMap('m'), x))),
      mapGet: s.map(x => JSON.stringify(['k0', 'k1', 'k2', 'k3', 'k4'].map(k => Y.typeMapGetSnapshot(d.getMap('m'), k, x))))
    }
  })
}

// relative positions created after ops[0..split) in the listed docs, resolved in every doc at the end
const relpos = (input) => {
  const created = []
  const { docs } = run(input, (ds, k) => {
    if (k !== input.split) return
    for (const p of input.positions) {
      const d = ds[p.d]
      const type = p.t === 't' ? d.getText('t') : d.getArray('a')
      const rp = Y.createRelativePositionFromTypeIndex(type, p.index, p.assoc)
      created.push(rp)
    }
  })
  const rootName = (d, type) => type === d.getText('t') ? 't' : type === d.getArray('a') ? 'a' : type === d.getMap('m') ? 'm' : '?'
  return created.map(rp => ({
    hex: hex(Y.encodeRelativePosition(rp)),
    json: JSON.stringify(Y.relativePositionToJSON(rp)),
    abs: docs.map(d => {
      const a = Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(Y.encodeRelativePosition(rp)), d)
      return a === null ? null : { t: rootName(d, a.type), index: a.index, assoc: a.assoc }
    })
  }))
}

// XML sessions: ops on the root fragment 'x' addressed by child-index paths; reports updates, strings, events
const buildNode = n => {
  if (n.text !== undefined) return new Y.XmlText(n.text)
  if (n.hook !== undefined) { const h = new Y.XmlHook(n.hook); h.set('k', n.hook); return h }
  const el = new Y.XmlElement(n.el)
  for (const k in n.attrs) el.setAttribute(k, n.attrs[k])
  el.insert(0, n.children.map(buildNode))
  return el
}
const xmlPlain = v => v instanceof Y.AbstractType ? v.toJSON() : v
const xml = (input) => {
  const docs = input.clients.map(() => new Y.Doc({ gc: input.gc }))
  docs.forEach((d, i) => { d.clientID = input.clients[i]; d.getXmlFragment('x') })
  const v1 = docs.map(() => [])
  const v2 = docs.map(() => [])
  const events = docs.map(() => [])
  docs.forEach((d, i) => {
    d.on('update', u => v1[i].push(hex(u)))
    d.on('updateV2', u => v2[i].push(hex(u)))
    d.getXmlFragment('x').observeDeep(evs => {
      for (const e of evs) {
        events[i].push(JSON.stringify({
          path: e.path,
          target: e.target.constructor.name,
          childList: e.childListChanged === undefined ? null : e.childListChanged,
          attrs: e.attributesChanged === undefined ? null : [...e.attributesChanged].sort(),
          delta: e.changes.delta.map(op => op.insert !== undefined && Array.isArray(op.insert) ? { insert: op.insert.map(xmlPlain) } : op),
          keys: [...e.changes.keys.entries()].map(([k, c]) => [k, c.action, xmlPlain(c.oldValue) ?? null])
        }))
      }
    })
  })
  const at = (d, path) => { let t = d.getXmlFragment('x'); for (const i of path) t = t.get(i); return t }
  for (const o of input.ops) {
    const d = docs[o.d]
    switch (o.op) {
      case 'xins': at(d, o.path).insert(o.idx, o.nodes.map(buildNode)); break
      case 'xdel': at(d, o.path).delete(o.idx, o.len); break
      case 'xattr': at(d, o.path).setAttribute(o.k, o.v); break
      case 'xrmattr': at(d, o.path).removeAttribute(o.k); break
      case 'xtins': at(d, o.path).insert(o.idx, o.s, o.attrs === undefined ? undefined : o.attrs); break
      case 'xtfmt': at(d, o.path).format(o.idx, o.len, o.attrs); break
      case 'xtdel': at(d, o.path).delete(o.idx, o.len); break
      case 'sync': Y.applyUpdate(docs[o.to], Y.encodeStateAsUpdate(docs[o.from], Y.encodeStateVector(docs[o.to]))); break
    }
  }
  return docs.map((d, i) => {
    const x = d.getXmlFragment('x')
    return {
      v1: v1[i],
      v2: v2[i],
      stateV2: hex(Y.encodeStateAsUpdateV2(d)),
      events: events[i],
      str: x.toString(),
      json: JSON.stringify(d.toJSON()),
      walk: Array.from(x.createTreeWalker(() => true)).map(t => t.constructor.name + ':' + t.toString()),
      ps: x.querySelectorAll('p').length,
      state: hex(Y.encodeStateAsUpdate(d))
    }
  })
}

// sub-document scenario: ops on two parent docs P and Q (map 'mysubdocs', array 'arr') and named docs
const subdocs = (input) => {
  const parents = { P: new Y.Doc({ gc: input.gc }), Q: new Y.Doc({ gc: input.gc }) }
  parents.P.clientID = 1
  parents.Q.clientID = 2
  // roots created up front: Yjs's doc.toJSON() leaves out roots that were only created by remote updates
  for (const d of Object.values(parents)) { d.getMap('mysubdocs'); d.getArray('arr') }
  const named = {}
  const log = []
  const guids = set => Array.from(set).map(d => d.guid)
  for (const [n, d] of Object.entries(parents)) {
    d.on('subdocs', e => log.push(n + ' subdocs ' + JSON.stringify([guids(e.added), guids(e.removed), guids(e.loaded)])))
    d.on('update', u => log.push(n + ' update ' + hex(u)))
  }
  for (const o of input.ops) {
    switch (o.op) {
      case 'new': {
        const opts = { guid: o.guid }
        if (o.shouldLoad !== undefined) opts.shouldLoad = o.shouldLoad
        if (o.autoLoad !== undefined) opts.autoLoad = o.autoLoad
        if (o.gc !== undefined) opts.gc = o.gc
        if (o.meta !== undefined) opts.meta = o.meta
        named[o.name] = new Y.Doc(opts)
        break
      }
      case 'load': named[o.name].load(); break
      case 'destroy': named[o.name].destroy(); break
      case 'set': parents[o.doc].getMap('mysubdocs').set(o.key, named[o.name]); break
      case 'push': parents[o.doc].getArray('arr').push([named[o.name]]); break
      case 'get': named[o.name] = parents[o.doc].getMap('mysubdocs').get(o.key); break
      case 'aget': named[o.name] = parents[o.doc].getArray('arr').get(o.index); break
      case 'del': parents[o.doc].getMap('mysubdocs').delete(o.key); break
      case 'adel': parents[o.doc].getArray('arr').delete(o.index, 1); break
      case 'sync': Y.applyUpdate(parents[o.to], Y.encodeStateAsUpdate(parents[o.from], Y.encodeStateVector(parents[o.to]))); break
    }
    for (const [n, d] of Object.entries(parents)) log.push(n + ' guids ' + JSON.stringify(Array.from(d.getSubdocGuids())))
    if (o.name !== undefined && named[o.name] !== undefined) {
      const x = named[o.name]
      log.push(o.name + ' state ' + JSON.stringify([x.guid, x.shouldLoad, x.autoLoad, x.meta ?? null, x.gc, x.isDestroyed]))
    }
  }
  for (const [n, d] of Object.entries(parents)) log.push(n + ' final ' + hex(Y.encodeStateAsUpdate(d)) + ' ' + JSON.stringify(d.toJSON()))
  return log
}

const metaOut = m => ({ from: [...m.from.entries()], to: [...m.to.entries()] })

const handlers = {
  replay,
  snapshots,
  relpos,
  xml,
  subdocs,
  merge: r => hex(r.v2 ? Y.mergeUpdatesV2(r.updates.map(unhex)) : Y.mergeUpdates(r.updates.map(unhex))),
  diff: r => hex(r.v2 ? Y.diffUpdateV2(unhex(r.u), unhex(r.sv)) : Y.diffUpdate(unhex(r.u), unhex(r.sv))),
  sv: r => hex(r.v2 ? Y.encodeStateVectorFromUpdateV2(unhex(r.u)) : Y.encodeStateVectorFromUpdate(unhex(r.u))),
  meta: r => metaOut(r.v2 ? Y.parseUpdateMetaV2(unhex(r.u)) : Y.parseUpdateMeta(unhex(r.u))),
  toV2: r => hex(Y.convertUpdateFormatV1ToV2(unhex(r.u))),
  toV1: r => hex(Y.convertUpdateFormatV2ToV1(unhex(r.u))),
  // apply updates (format v1 or v2) in order to a fresh doc, report its state in both formats
  applyAll: r => {
    const d = new Y.Doc({ gc: r.gc !== false })
    for (const u of r.updates) { r.v2 ? Y.applyUpdateV2(d, unhex(u)) : Y.applyUpdate(d, unhex(u)) }
    return { v1: hex(Y.encodeStateAsUpdate(d)), v2: hex(Y.encodeStateAsUpdateV2(d)), sv: hex(Y.encodeStateVector(d)), pending: d.store.pendingStructs !== null || d.store.pendingDs !== null }
  }
}

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity })
for await (const line of rl) {
  if (!line.trim()) continue
  let out
  try {
    const req = JSON.parse(line)
    out = { ok: true, result: handlers[req.cmd](req) }
  } catch (e) {
    out = { ok: false, error: String(e && e.stack || e) }
  }
  process.stdout.write(JSON.stringify(out) + '\n')
}
