// Runs an awareness scenario on the real y-protocols Awareness and prints one line per observable
// result. The Java test runs the same scenario on nodenogg.sync.protocol.Awareness and compares lines.
// Input (stdin): JSON array of ops:
//   {op:'new', name, id}                 create (local state {} at clock 0)
//   {op:'set', name, state}              setLocalState(state)
//   {op:'remove', name, ids, origin}     removeAwarenessStates
//   {op:'encode', name, ids, into}       print hex, keep bytes in var `into`
//   {op:'encodeAll', name, into}         encode every client with a state
//   {op:'apply', name, from, origin}     applyAwarenessUpdate(vars[from])
//   {op:'applyHex', name, hex, origin}   apply given bytes
//   {op:'states', name}                  print [[id, clock, JSON(state)]...] sorted by id
import * as Y from 'yjs'
import * as awarenessProtocol from 'y-protocols/awareness'

const input = await new Promise((resolve) => {
  let s = ''
  process.stdin.setEncoding('utf8')
  process.stdin.on('data', (d) => { s += d })
  process.stdin.on('end', () => resolve(s))
})
const ops = JSON.parse(input)
const peers = new Map()
const vars = new Map()
const out = []
const hex = (u8) => Buffer.from(u8).toString('hex')
const fmt = (c) => JSON.stringify({ added: c.added, updated: c.updated, removed: c.removed })
for (const op of ops) {
  switch (op.op) {
    case 'new': {
      const doc = new Y.Doc()
      doc.clientID = op.id
      const a = new awarenessProtocol.Awareness(doc)
      clearInterval(a._checkInterval)
      a.on('change', (c, origin) => out.push(`change ${op.name} ${fmt(c)} ${origin}`))
      a.on('update', (c, origin) => out.push(`update ${op.name} ${fmt(c)} ${origin}`))
      peers.set(op.name, a)
      break
    }
    case 'set': peers.get(op.name).setLocalState(op.state); break
    case 'remove': awarenessProtocol.removeAwarenessStates(peers.get(op.name), op.ids, op.origin); break
    case 'encode': {
      const u = awarenessProtocol.encodeAwarenessUpdate(peers.get(op.name), op.ids)
      vars.set(op.into, u)
      out.push(`bytes ${op.into} ${hex(u)}`)
      break
    }
    case 'encodeAll': {
      const a = peers.get(op.name)
      const u = awarenessProtocol.encodeAwarenessUpdate(a, Array.from(a.getStates().keys()))
      vars.set(op.into, u)
      out.push(`bytes ${op.into} ${hex(u)}`)
      break
    }
    case 'apply': awarenessProtocol.applyAwarenessUpdate(peers.get(op.name), vars.get(op.from), op.origin); break
    case 'applyHex':
      try {
        awarenessProtocol.applyAwarenessUpdate(peers.get(op.name), Buffer.from(op.hex, 'hex'), op.origin)
      } catch (e) {
        out.push(`error ${op.name}`)
      }
      break
    case 'states': {
      const a = peers.get(op.name)
      const rows = []
      for (const [id, m] of a.meta) rows.push([id, m.clock, a.states.has(id) ? JSON.stringify(a.states.get(id)) : '-'])
      rows.sort((x, y) => x[0] - y[0])
      out.push(`states ${op.name} ${JSON.stringify(rows)}`)
      break
    }
    default: throw new Error('unknown op ' + op.op)
  }
}
process.stdout.write(out.join('\n') + '\n')
process.exit(0)
