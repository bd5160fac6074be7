// Proof that the real y-webrtc 10.3.0 client code signals through a given server.
// Usage: node y-webrtc-signaling.mjs <ws-url> [password]
// A real WebrtcProvider (which subscribes and announces itself on connect, encrypting with the
// room password when given) and a real y-webrtc SignalingConn observer (lib0's websocket client)
// share a room. The observer checks what the server relays, decrypting with y-webrtc's own crypto.
// Prints one JSON line with the observations; exits 1 with a message on failure.
import { WebSocket } from 'ws'
import * as Y from 'yjs'
import * as buffer from 'lib0/buffer'

globalThis.WebSocket = WebSocket // lib0's websocket client expects the browser global (Node 20 has none)
const { WebrtcProvider, SignalingConn } = await import('y-webrtc')
const cryptoutils = await import(new URL('../node_modules/y-webrtc/src/crypto.js', import.meta.url))

const [url, password] = process.argv.slice(2)
if (!url) {
  console.error('usage: node y-webrtc-signaling.mjs <ws-url> [password]')
  process.exit(2)
}
const room = 'nodenogg-signal-interop-' + (password ? 'locked' : 'open')
const fail = (why) => { console.error('FAIL: ' + why); process.exit(1) }
setTimeout(() => fail('timed out'), 20000).unref()

const nextMessage = (conn, predicate) => new Promise(resolve => {
  const handler = m => { if (predicate(m)) { conn.off('message', handler); resolve(m) } }
  conn.on('message', handler)
})

// 1. the observer: a bare SignalingConn, subscribed to the room before the provider appears
const observer = new SignalingConn(url)
await new Promise(resolve => observer.once('connect', resolve))
observer.send({ type: 'subscribe', topics: [room] })
const pong = nextMessage(observer, m => m.type === 'pong')
observer.send({ type: 'ping' }) // lib0 sends this itself every 15 s; the server must answer
await pong

// 2. the real provider: subscribes and publishes its announce on connect
const ownEcho = new Promise(resolve => { globalThis.__ownEcho = resolve })
const doc = new Y.Doc()
const provider = new WebrtcProvider(room, doc, { signaling: [url], password: password || null })
provider.signalingConns[0].on('message', m => {
  if (m.type === 'publish' && m.topic === room) globalThis.__ownEcho(m)
})
const announce = await nextMessage(observer, m => m.type === 'publish' && m.topic === room)
const echoed = await ownEcho

let data = announce.data
const encrypted = typeof data === 'string'
if (password) {
  if (!encrypted) fail('with a password the data must be an encrypted string, got ' + JSON.stringify(data))
  const key = await cryptoutils.deriveKey(password, room)
  data = await cryptoutils.decryptJson(buffer.fromBase64(announce.data), key)
  const wrongKey = await cryptoutils.deriveKey(password + '-wrong', room)
  const wrong = await cryptoutils.decryptJson(buffer.fromBase64(announce.data), wrongKey).then(() => 'decrypted', () => 'refused')
  if (wrong !== 'refused') fail('a wrong password decrypted the relayed data')
}
if (!data || data.type !== 'announce' || data.from !== provider.room.peerId) {
  fail('expected the provider\'s announce, got ' + JSON.stringify(data))
}
if (announce.clients !== 2) fail('expected clients 2, got ' + announce.clients)
if (echoed.data !== announce.data && JSON.stringify(echoed.data) !== JSON.stringify(announce.data)) {
  fail('the sender must get its own publish back unchanged')
}

// 3. unsubscribe: destroying the provider unsubscribes it; the topic then has one subscriber
provider.destroy()
const after = nextMessage(observer, m => m.type === 'publish' && m.topic === room)
// wait until the server has processed the provider's unsubscribe (publish again until clients drops)
let count = 2
for (let i = 0; i < 50 && count !== 1; i++) {
  const next = nextMessage(observer, m => m.type === 'publish' && m.topic === room && m.data && m.data.probe === i)
  observer.send({ type: 'publish', topic: room, data: { probe: i } })
  count = (await next).clients
  if (count !== 1) await new Promise(resolve => setTimeout(resolve, 20))
}
await after
if (count !== 1) fail('after the provider left, clients should be 1, got ' + count)

console.log(JSON.stringify({ ok: true, room, encrypted, clients: announce.clients, from: data.from, afterLeave: count }))
observer.destroy()
process.exit(0)
