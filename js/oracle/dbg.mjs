import * as Y from 'yjs'
import fs from 'fs'
const input = JSON.parse(fs.readFileSync('../crdt/target/replay-last.json','utf8'))
const hex = u => Buffer.from(u).toString('hex')
const docs = input.clients.map(c => new Y.Doc({ gc: input.gc }))
docs.forEach((d, i) => { d.clientID = input.clients[i] })
const updates = docs.map(() => [])
docs.forEach((d, i) => d.on('update', u => updates[i].push(hex(u))))
const stop = +process.argv[2]
input.ops.forEach((o, k) => {
  if (k > stop) return
  const d = docs[o.d]
  const before = updates[0].length
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
  }
  for (let u = before; u < updates[0].length; u++) console.log('op', k, JSON.stringify(o), 'update#', u, updates[0][u])
})
console.log(JSON.stringify(docs[0].getText('t').toDelta()))
