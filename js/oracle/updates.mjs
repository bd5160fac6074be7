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
    sv: hex(Y.encodeStateVectorFromUpdate(merged)),
    v2: hex(Y.convertUpdateFormatV1ToV2(merged)),
    mergedV2: hex(Y.mergeUpdatesV2(c.updates.map(unhex).map(Y.convertUpdateFormatV1ToV2))),
    diffV2: hex(Y.diffUpdateV2(Y.convertUpdateFormatV1ToV2(merged), unhex(c.sv))),
    backToV1: hex(Y.convertUpdateFormatV2ToV1(Y.convertUpdateFormatV1ToV2(merged)))
  }
})))
