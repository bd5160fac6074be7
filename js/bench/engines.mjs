// Uniform adapters over the JS CRDT libraries the benchmarks compare against (yjs, ywasm, automerge).
// Every adapter exposes the same small surface so the trace replay and the B1-B3 suite drive each
// library in exactly the same way as the Java runner (nodenogg.benchmarks) drives our engine:
//
//   const d = engine.create({ clientId, onUpdate })   // onUpdate(bytes) once per local transaction
//   d.transact(() => { d.insertText(i, s); d.deleteText(i, n); d.insertArray(i, xs); d.setMap(k, v) })
//   d.applyUpdate(bytes); d.applyUpdates(list)        // remote; applyUpdates = one transaction
//   d.encodeV1(); d.encodeV2()                        // encodeV2 is null when the library has none
//   d.text(); d.array(); d.map()
//   engine.load(bytes)                                // a new doc from an encoded state
//
// Updates are v1 (what Yjs's `update` event emits); automerge emits its own change bytes.
import * as Y from 'yjs'
import * as YW from 'ywasm'
import * as A from '@automerge/automerge'

const yjs = {
  name: 'yjs',
  create ({ clientId, onUpdate } = {}) {
    const doc = new Y.Doc()
    if (clientId != null) doc.clientID = clientId
    if (onUpdate) doc.on('update', u => onUpdate(u))
    const text = doc.getText('text')
    const array = doc.getArray('array')
    const map = doc.getMap('map')
    return {
      doc,
      transact: f => doc.transact(f),
      insertText: (i, s) => text.insert(i, s),
      deleteText: (i, n) => text.delete(i, n),
      insertArray: (i, xs) => array.insert(i, xs),
      deleteArray: (i, n) => array.delete(i, n),
      setMap: (k, v) => map.set(k, v),
      applyUpdate: u => Y.applyUpdate(doc, u),
      applyUpdates: us => doc.transact(() => { for (const u of us) Y.applyUpdate(doc, u) }),
      encodeV1: () => Y.encodeStateAsUpdate(doc),
      encodeV2: () => Y.encodeStateAsUpdateV2(doc),
      text: () => text.toString(),
      array: () => array.toJSON(),
      map: () => map.toJSON()
    }
  },
  load (bin) {
    const d = yjs.create()
    Y.applyUpdate(d.doc, bin)
    return d
  }
}

const ywasm = {
  name: 'ywasm',
  create ({ clientId, onUpdate } = {}) {
    const doc = new YW.YDoc(clientId != null ? { clientID: clientId } : {})
    if (onUpdate) doc.onUpdate(u => onUpdate(u))
    const text = doc.getText('text')
    const array = doc.getArray('array')
    const map = doc.getMap('map')
    let txn = null
    const transact = f => {
      if (txn != null) return f()
      txn = doc.beginTransaction(null)
      try {
        return f()
      } finally {
        const t = txn
        txn = null
        t.free() // commits and fires onUpdate
      }
    }
    return {
      doc,
      transact,
      insertText: (i, s) => transact(() => text.insert(i, s, undefined, txn)),
      deleteText: (i, n) => transact(() => text.delete(i, n, txn)),
      insertArray: (i, xs) => transact(() => array.insert(i, xs, txn)),
      deleteArray: (i, n) => transact(() => array.delete(i, n, txn)),
      setMap: (k, v) => transact(() => map.set(k, v, txn)),
      applyUpdate: u => YW.applyUpdate(doc, u, null),
      applyUpdates: us => transact(() => { for (const u of us) txn.applyV1(u) }),
      encodeV1: () => YW.encodeStateAsUpdate(doc),
      encodeV2: () => YW.encodeStateAsUpdateV2(doc),
      text: () => text.toString(),
      array: () => array.toJson(),
      map: () => map.toJson()
    }
  },
  load (bin) {
    const d = ywasm.create()
    YW.applyUpdate(d.doc, bin, null)
    return d
  }
}

// Automerge is immutable-functional: a "transaction" is one A.change, whose change bytes are the update.
const automerge = {
  name: 'automerge',
  // A.applyChanges costs ~5 ms per call on this machine whatever the change size (a new immutable doc
  // each time), so the runners hand automerge all remote changes in one call; the report says so.
  batchRemote: true,
  wrap (initial, onUpdate) {
    let doc = initial
    let pending = null // mutations collected inside transact()
    const run = fns => {
      doc = A.change(doc, d => { for (const f of fns) f(d) })
      if (onUpdate) {
        const c = A.getLastLocalChange(doc)
        if (c) onUpdate(c)
      }
    }
    const op = f => { if (pending) pending.push(f); else run([f]) }
    return {
      get doc () { return doc },
      transact: f => {
        if (pending) return f()
        pending = []
        try { f() } finally { const fns = pending; pending = null; if (fns.length) run(fns) }
      },
      insertText: (i, s) => op(d => A.splice(d, ['text'], i, 0, s)),
      deleteText: (i, n) => op(d => A.splice(d, ['text'], i, n)),
      insertArray: (i, xs) => op(d => d.array.insertAt(i, ...xs)),
      deleteArray: (i, n) => op(d => d.array.deleteAt(i, n)),
      setMap: (k, v) => op(d => { d.map[k] = v }),
      applyUpdate: u => { doc = A.applyChanges(doc, [u])[0] },
      applyUpdates: us => { doc = A.applyChanges(doc, us)[0] },
      encodeV1: () => A.save(doc),
      encodeV2: null,
      text: () => doc.text.toString(),
      array: () => [...doc.array],
      map: () => JSON.parse(JSON.stringify(doc.map))
    }
  },
  create ({ onUpdate } = {}) {
    // every doc starts from the same genesis change so that concurrent docs share the root objects
    return automerge.wrap(A.load(automerge.genesis()), onUpdate)
  },
  load (bin) {
    return automerge.wrap(A.load(bin), null)
  },
  _genesis: null,
  genesis () {
    if (!automerge._genesis) {
      const d = A.from({ text: '', array: [], map: {} }, { actor: '00000000000000000000000000000001' })
      automerge._genesis = A.save(d)
    }
    return automerge._genesis
  }
}

export const engines = { yjs, ywasm, automerge }

export function engineByName (name) {
  const e = engines[name]
  if (!e) throw new Error(`unknown engine '${name}' (known: ${Object.keys(engines).join(', ')})`)
  return e
}

/** Live heap of this process after GC (needs node --expose-gc): JS heap + external (wasm memory, buffers). */
export function liveHeap () {
  if (global.gc) { global.gc(); global.gc() }
  const m = process.memoryUsage()
  return m.heapUsed + m.external
}
