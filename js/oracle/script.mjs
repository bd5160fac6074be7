// Runs a scripted multi-client session on real Yjs docs with fixed client ids, recording every
// update each doc emitted. The same script is replayed by the Java engine in the differential tests.
//
// script = { clients: [{clientId, gc}], roots: [[name, kind]...], steps: [step...] }
// step   = { c: clientIndex, ops: [op...] }          one local transaction on client c
//        | { to: clientIndex, updates: [i...] }     apply local updates #i (global emission order) to client `to`
//        | { to: clientIndex, from: clientIndex }   state sync: apply encodeStateAsUpdate(from, stateVector(to)) to `to`
// op     = { t: 'mapSet', path, key, value } | { t: 'mapDel', path, key }
//        | { t: 'arrIns', path, index, values } | { t: 'arrPush', path, values } | { t: 'arrDel', path, index, len }
//        | { t: 'txtIns', path, index, text, attrs? } | { t: 'txtEmbed', path, index, embed, attrs? }
//        | { t: 'txtDel', path, index, len } | { t: 'txtFmt', path, index, len, attrs }
// path   = { root, kind, steps: [key | index ...] } naming a shared type inside the doc.
import * as Y from 'yjs'
import { b64, unb64, untyped, observe, getRoot, DEFAULT_ROOTS } from './values.mjs'

export const resolve = (doc, path) => {
  let t = getRoot(doc, path.root, path.kind)
  for (const s of path.steps || []) {
    t = typeof s === 'number' ? t.get(s) : t.get(s)
    if (!(t instanceof Y.AbstractType)) throw new Error('path does not name a shared type: ' + JSON.stringify(path))
  }
  return t
}

const attrsOf = (a) => (a == null ? undefined : untyped(a))

export const applyOp = (doc, op) => {
  const t = resolve(doc, op.path)
  switch (op.t) {
    case 'mapSet': t.set(op.key, untyped(op.value)); break
    case 'mapDel': t.delete(op.key); break
    case 'arrIns': t.insert(op.index, op.values.map(untyped)); break
    case 'arrPush': t.push(op.values.map(untyped)); break
    case 'arrDel': t.delete(op.index, op.len); break
    case 'txtIns': t.insert(op.index, op.text, attrsOf(op.attrs)); break
    case 'txtEmbed': t.insertEmbed(op.index, untyped(op.embed), attrsOf(op.attrs)); break
    case 'txtDel': t.delete(op.index, op.len); break
    case 'txtFmt': t.format(op.index, op.len, untyped(op.attrs)); break
    default: throw new Error('unknown op ' + op.t)
  }
}

export class ScriptRun {
  constructor (clients, roots) {
    this.roots = roots || DEFAULT_ROOTS
    this.docs = clients.map(({ clientId, gc }) => {
      const d = new Y.Doc({ gc: gc !== false })
      d.clientID = clientId
      for (const [n, k] of this.roots) getRoot(d, n, k)
      return d
    })
    this.local = [] // Uint8Array, global emission order
    this.localBy = []
    this.events = this.docs.map(() => [])
    this.eventsV2 = this.docs.map(() => [])
    this.docs.forEach((d, i) => d.on('updateV2', (u) => { this.eventsV2[i].push(b64(u)) }))
    this.docs.forEach((d, i) => d.on('update', (u, origin) => {
      this.events[i].push(b64(u))
      if (origin === 'local') { this.local.push(u); this.localBy.push(i) }
    }))
    this.stepLocal = []
    this.stateSyncs = [] // bytes sent by each state-sync step, in step order
  }

  step (s) {
    if (s.ops) {
      const before = this.local.length
      this.docs[s.c].transact(() => { for (const op of s.ops) applyOp(this.docs[s.c], op) }, 'local')
      this.stepLocal.push(this.local.length > before ? before : -1)
    } else if (s.from !== undefined) {
      const d = this.docs[s.to]
      const u = Y.encodeStateAsUpdate(this.docs[s.from], Y.encodeStateVector(d))
      this.stateSyncs.push(b64(u))
      Y.applyUpdate(d, u, 'remote')
      this.stepLocal.push(-1)
    } else {
      const d = this.docs[s.to]
      for (const i of s.updates) Y.applyUpdate(d, this.local[i], 'remote')
      this.stepLocal.push(-1)
    }
  }

  result () {
    return {
      local: this.local.map(b64),
      localBy: this.localBy,
      stepLocal: this.stepLocal,
      stateSyncs: this.stateSyncs,
      events: this.events,
      eventsV2: this.eventsV2,
      docs: this.docs.map(d => observe(d, this.roots))
    }
  }
}

export const runScript = (script) => {
  const run = new ScriptRun(script.clients, script.roots)
  for (const s of script.steps) run.step(s)
  return run.result()
}

/** Applies updates (base64) in order to one fresh doc and reports what it holds, its update events (in the
 * update format given) and its v2 update events. */
export const applyUpdates = ({ updates, gc, roots, v2, clientId, declare }) => {
  const d = new Y.Doc({ gc: gc !== false })
  if (clientId != null) d.clientID = clientId
  const r = roots || DEFAULT_ROOTS
  // declare: 'after' asks for the roots only once the updates are in (Yjs cleans up formatting on receipt only
  // in texts already declared)
  if (declare !== 'after') for (const [n, k] of r) getRoot(d, n, k)
  const events = []
  const eventsV2 = []
  d.on(v2 ? 'updateV2' : 'update', (u) => events.push(b64(u)))
  d.on('updateV2', (u) => eventsV2.push(b64(u)))
  for (const u of updates) (v2 ? Y.applyUpdateV2 : Y.applyUpdate)(d, unb64(u))
  return { ...observe(d, r), events, eventsV2 }
}
