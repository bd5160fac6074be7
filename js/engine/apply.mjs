// Applies a list of v1 updates (hex, stdin JSON {gc, updates:[...]}) to one fresh Yjs doc, in order.
// Prints, after each update, the doc's encodeStateAsUpdate, whether anything is pending, and the update event.
import * as Y from 'yjs'

const input = JSON.parse(await new Promise(r => { let s = ''; process.stdin.on('data', d => { s += d }); process.stdin.on('end', () => r(s)) }))
const hex = u => Buffer.from(u).toString('hex')
const run = input => {
const doc = new Y.Doc({ gc: input.gc })
doc.clientID = input.client ?? 999
doc.getText('t'); doc.getMap('m'); doc.getArray('a')
let last = null
doc.on('update', u => { last = hex(u) })
const steps = []
for (const h of input.updates) {
  last = null
  let error = null
  try { if (input.v2) Y.applyUpdateV2(doc, Y.convertUpdateFormatV1ToV2(new Uint8Array(Buffer.from(h, 'hex')))); else Y.applyUpdate(doc, new Uint8Array(Buffer.from(h, 'hex'))) } catch (e) { error = String(e) }
  steps.push({
    state: hex(Y.encodeStateAsUpdate(doc)),
    stateV2: hex(Y.encodeStateAsUpdateV2(doc)),
    sv: hex(Y.encodeStateVector(doc)),
    pending: doc.store.pendingStructs !== null || doc.store.pendingDs !== null,
    event: last,
    error
  })
}
return ({ steps, json: JSON.stringify({ t: doc.getText('t').toDelta(), m: doc.getMap('m').toJSON(), a: doc.getArray('a').toJSON() }) })
}
console.log(JSON.stringify(Array.isArray(input) ? input.map(run) : run(input)))
