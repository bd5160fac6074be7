// Long-lived Yjs oracle for the crdt module's v2/update-function tests (nodenogg.crdt.*V2*Test).
// Reads one JSON request per line on stdin, answers one JSON line on stdout: {ok, result} or {ok:false, error}.
import * as Y from 'yjs'
import * as readline from 'node:readline'

const hex = u => Buffer.from(u).toString('hex')
const unhex = h => new Uint8Array(Buffer.from(h, 'hex'))

const replay = (input) => {
  const docs = input.clients.map(() => new Y.Doc({ gc: input.gc }))
  docs.forEach((d, i) => { d.clientID = input.clients[i] })
  const v1 = docs.map(() => [])
  const v2 = docs.map(() => [])
  docs.forEach((d, i) => {
    d.on('update', u => v1[i].push(hex(u)))
    d.on('updateV2', u => v2[i].push(hex(u)))
  })
  for (const o of input.ops) {
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
  }
  return {
    v1,
    v2,
    statesV1: docs.map(d => hex(Y.encodeStateAsUpdate(d))),
    statesV2: docs.map(d => hex(Y.encodeStateAsUpdateV2(d))),
    svs: docs.map(d => hex(Y.encodeStateVector(d)))
  }
}

const metaOut = m => ({ from: [...m.from.entries()], to: [...m.to.entries()] })

const handlers = {
  replay,
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
