// Update-level functions of real Yjs for the crdt differential test: for each case
// {updates:[hex], sv:hex} prints mergeUpdates, diffUpdate(merged, sv), encodeStateVectorFromUpdate(merged).
import * as Y from 'yjs'

const input = JSON.parse(await new Promise(r => { let s = ''; process.stdin.on('data', d => { s += d }); process.stdin.on('end', () => r(s)) }))
const hex = u => Buffer.from(u).toString('hex')
const unhex = h => new Uint8Array(Buffer.from(h, 'hex'))
console.log(JSON.stringify(input.map(c => {
  const merged = Y.mergeUpdates(c.updates.map(unhex))
  return {
    merged: hex(merged),
    diff: hex(Y.diffUpdate(merged, unhex(c.sv))),
    sv: hex(Y.encodeStateVectorFromUpdate(merged))
  }
})))
