// The Node floor of the sync benchmark: the `ws` library (what @hocuspocus/server is built on) with
// just enough Hocuspocus protocol for load.mjs — SyncStep1 answered with an empty SyncStep2, every
// Update forwarded unchanged to every connection of its document. No CRDT, no auth, no storage.
//   node relay-floor.mjs [port]     prints "PORT <n>" once listening
import { WebSocketServer } from 'ws'
import { Reader, Writer, SYNC } from './wire.mjs'

const server = new WebSocketServer({ port: parseInt(process.argv[2] || '0', 10), host: '127.0.0.1', perMessageDeflate: false })
const rooms = new Map()
server.on('connection', (ws) => {
  ws.on('message', (data) => {
    const r = new Reader(data)
    const doc = r.string()
    if (r.uint() !== SYNC) return
    let room = rooms.get(doc)
    if (!room) { room = new Set(); rooms.set(doc, room) }
    if (!ws.doc) { ws.doc = doc; room.add(ws) }
    const sub = r.uint()
    if (sub === 0) ws.send(new Writer().string(doc).uint(SYNC).uint(1).bytes(Buffer.from([0, 0])).done())
    else if (sub === 2) for (const c of room) c.send(data)
  })
  ws.on('close', () => { if (ws.doc) rooms.get(ws.doc)?.delete(ws) })
})
server.on('listening', () => console.log(`PORT ${server.address().port}`))
process.on('SIGTERM', () => { server.close(); process.exit(0) })
