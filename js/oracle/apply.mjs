// Applies a list of v1 updates (hex, stdin JSON {gc, updates:[...]}) to one fresh Yjs doc, in order.
// Prints, after each update, the doc's encodeStateAsUpdate, whether anything is pending (structs, deletions),
// and the update events (v1 and v2).
import * as Y from 'yjs'

const input = JSON.parse(await new Promise(r => { let s = ''; process.stdin.on('data', d => { s += d }); process.stdin.on('end', () => r(s)) }))
const hex = u => Buffer.from(u).toString('hex')
const run = input => {
const doc = new Y.Doc({ gc: input.gc })
doc.clientID = input.client ?? 999
doc.getText('t'); doc.getMap('m'); doc.getArray('a')
let last = null
let lastV2 = null
doc.on('update', u => { last = hex(u) })
doc.on('updateV2', u => { lastV2 = hex(u) })
const steps = []
for (const h of input.updates) {
  last = null
  lastV2 = null
  let error = null
  try { if (input.v2) Y.applyUpdateV2(doc, Y.convertUpdateFormatV1ToV2(new Uint8Array(Buffer.from(h, 'hex')))); else Y.applyUpdate(doc, new Uint8Array(Buffer.from(h, 'hex'))) } catch (e) { error = String(e) }
  steps.push({
    state: hex(Y.encodeStateAsUpdate(doc)),
    stateV2: hex(Y.encodeStateAsUpdateV2(doc)),
    sv: hex(Y.encodeStateVector(doc)),
    pending: doc.store.pendingStructs !== null || doc.store.pendingDs !== null,
    pendingStructs: doc.store.pendingStructs !== null,
    pendingDs: doc.store.pendingDs !== null,
    event: last,
    eventV2: lastV2,
    error
  })
}
return ({ steps, json: JSON.stringify({ t: doc.getText('t').toDelta(), m: doc.getMap('m').toJSON(), a: doc.getArray('a').toJSON() }) })
}
console.log(JSON.stringify(Array.isArray(input) ? input.map(run) : run(input)))
