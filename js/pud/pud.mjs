// Yjs PermanentUserData oracle for crdt's PermanentUserDataInteropTest.
// stdin: one JSON job {clients:[id...], gc:bool, ops:[...], read:[hex update...]}
//   ops: {op:'map',doc,user} | {op:'ins',doc,index,text} | {op:'del',doc,index,len} | {op:'sync',from,to}
//   every op is followed by a turn of the event loop, so PermanentUserData's setTimeout work runs.
// stdout: {states:[hex encodeStateAsUpdate per doc], answers:[per doc], read:[{before, after} per update]}
//   answers = {clients:{id:user|null}, deleted:{"client:clock":user|null}} over every id the doc holds.
import * as Y from 'yjs'

const hex = (u8) => Buffer.from(u8).toString('hex')
const unhex = (s) => new Uint8Array(Buffer.from(s, 'hex'))
const flush = () => new Promise((resolve) => setTimeout(resolve, 5))

const answers = (doc, pud) => {
  const sv = Y.decodeStateVector(Y.encodeStateVector(doc))
  const ids = new Set([...sv.keys(), ...pud.clients.keys(), 424242])
  const clients = {}
  const deleted = {}
  for (const c of [...ids].sort((a, b) => a - b)) {
    clients[c] = pud.getUserByClientId(c)
    const state = sv.get(c) || 0
    for (let k = 0; k <= state; k++) deleted[c + ':' + k] = pud.getUserByDeletedId(Y.createID(c, k))
  }
  return { clients, deleted }
}

const run = async (job) => {
  const docs = job.clients.map((id) => {
    const d = new Y.Doc({ gc: job.gc })
    d.clientID = id
    return d
  })
  const puds = docs.map((d) => new Y.PermanentUserData(d))
  for (const op of job.ops) {
    if (op.op === 'map') {
      puds[op.doc].setUserMapping(docs[op.doc], docs[op.doc].clientID, op.user)
    } else if (op.op === 'ins') {
      docs[op.doc].getText('t').insert(op.index, op.text)
    } else if (op.op === 'del') {
      docs[op.doc].getText('t').delete(op.index, op.len)
    } else if (op.op === 'sync') {
      const to = docs[op.to]
      Y.applyUpdate(to, Y.encodeStateAsUpdate(docs[op.from], Y.encodeStateVector(to)))
    } else {
      throw new Error('unknown op ' + op.op)
    }
    await flush()
  }
  const read = []
  for (const u of job.read || []) {
    const before = new Y.Doc({ gc: job.gc })
    const pudBefore = new Y.PermanentUserData(before)
    Y.applyUpdate(before, unhex(u))
    const after = new Y.Doc({ gc: job.gc })
    Y.applyUpdate(after, unhex(u))
    const pudAfter = new Y.PermanentUserData(after)
    await flush()
    read.push({ before: answers(before, pudBefore), after: answers(after, pudAfter) })
  }
  return {
    states: docs.map((d) => hex(Y.encodeStateAsUpdate(d))),
    answers: docs.map((d, i) => answers(d, puds[i])),
    read
  }
}

let input = ''
process.stdin.setEncoding('utf8')
process.stdin.on('data', (c) => { input += c })
process.stdin.on('end', async () => {
  const out = await run(JSON.parse(input))
  process.stdout.write(JSON.stringify(out) + '\n')
  process.exit(0)
})
