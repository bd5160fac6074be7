// Replays a JSON op script (stdin) on real Yjs docs and prints update events, final state and JSON.
// Used by the crdt module's quick differential test (nodenogg.crdt.NodeReplayTest).
import * as Y from 'yjs'

const input = JSON.parse(await new Promise(r => { let s = ''; process.stdin.on('data', d => { s += d }); process.stdin.on('end', () => r(s)) }))
const hex = u => Buffer.from(u).toString('hex')
const run = input => {
const unhex = h => new Uint8Array(Buffer.from(h, 'hex'))
const docs = input.clients.map(c => new Y.Doc({ gc: input.gc }))
docs.forEach((d, i) => { d.clientID = input.clients[i]; d.getText('t'); d.getMap('m'); d.getArray('a') })
const updates = docs.map(() => [])
const ums = docs.map(d => new Y.UndoManager([d.getText('t'), d.getMap('m'), d.getArray('a')], { captureTimeout: 1e9 }))
docs.forEach((d, i) => d.on('update', u => updates[i].push(hex(u))))
const updatesV2 = docs.map(() => [])
docs.forEach((d, i) => d.on('updateV2', u => updatesV2[i].push(hex(u))))
const val = v => v
for (const o of input.ops) {
  const d = docs[o.d]
  switch (o.op) {
    case 'tins': d.getText('t').insert(o.idx, o.s, o.attrs === undefined ? undefined : o.attrs); break
    case 'tdel': d.getText('t').delete(o.idx, o.len); break
    case 'tfmt': d.getText('t').format(o.idx, o.len, o.attrs); break
    case 'tembed': d.getText('t').insertEmbed(o.idx, o.v, o.attrs === undefined ? undefined : o.attrs); break
    case 'mset': d.getMap('m').set(o.k, val(o.v)); break
    case 'mdel': d.getMap('m').delete(o.k); break
    case 'mnest': { const m = new Y.Map(); m.set('x', o.v); d.getMap('m').set(o.k, m); break }
    case 'ains': d.getArray('a').insert(o.idx, o.vals); break
    case 'adel': d.getArray('a').delete(o.idx, o.len); break
    case 'sync': Y.applyUpdate(docs[o.to], Y.encodeStateAsUpdate(docs[o.from], Y.encodeStateVector(docs[o.to]))); break
    case 'undo': ums[o.d].undo(); break
    case 'redo': ums[o.d].redo(); break
    case 'stop': ums[o.d].stopCapturing(); break
    case 'apply': Y.applyUpdate(docs[o.to], unhex(o.u)); break
  }
}
return ({
  updates,
  states: docs.map(d => hex(Y.encodeStateAsUpdate(d))),
  updatesV2,
  statesV2: docs.map(d => hex(Y.encodeStateAsUpdateV2(d))),
  snapshots: docs.map(d => hex(Y.encodeSnapshot(Y.snapshot(d)))),
  snapshotsV2: docs.map(d => hex(Y.encodeSnapshotV2(Y.snapshot(d)))),
  contains: docs.map(d => { const s = Y.snapshot(d); return updates.flat().map(u => Y.snapshotContainsUpdate(s, unhex(u))) }),
  json: docs.map(d => JSON.stringify({ t: d.getText('t').toDelta(), m: d.getMap('m').toJSON(), a: d.getArray('a').toJSON() }))
})
}
console.log(JSON.stringify(Array.isArray(input) ? input.map(run) : run(input)))
