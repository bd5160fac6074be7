// Bundled by pages.mjs with esbuild: a page that joins a y-webrtc 10.3.0 room with a Y.Doc laid out as
// a nodenogg.in microcosm (E5: root map `identities`, one root map per identity holding
// {content: entity, signature: ''}) and exposes a small API to the driver as window.t.
import * as Y from 'yjs'
import { WebrtcProvider } from 'y-webrtc'

let doc = null
let provider = null
let startedAt = 0
let firstSyncMs = null
let echoOff = null

const entity = (id, identity, content) => ({
  id,
  identity_id: identity,
  lastEdited: Date.now(),
  created: Date.now(),
  data: { type: 'html', x: 0, y: 0, width: 200, height: 200, content },
  version: '1'
})

window.t = {
  start ({ signal, room, password, maxConns }) {
    doc = new Y.Doc()
    startedAt = performance.now()
    firstSyncMs = null
    const opts = {
      signaling: Array.isArray(signal) ? signal : [signal],
      password: password || null,
      // loopback only: host candidates, no STUN
      peerOpts: { config: { iceServers: [] } }
    }
    if (maxConns) opts.maxConns = maxConns
    provider = new WebrtcProvider(room, doc, opts)
    provider.on('synced', ({ synced }) => {
      if (synced && firstSyncMs === null) firstSyncMs = performance.now() - startedAt
    })
    return { clientId: doc.clientID }
  },
  firstSyncMs () { return firstSyncMs },
  peerId () { return provider && provider.room ? provider.room.peerId : null },
  signalingReady () {
    return Boolean(provider && provider.room && provider.signalingConns.every(c => c.connected))
  },
  peers () {
    const room = provider && provider.room
    if (!room) return { webrtc: 0, bc: 0 }
    let connected = 0
    room.webrtcConns.forEach(conn => { if (conn.connected) connected++ })
    return { webrtc: connected, bc: room.bcConns.size }
  },
  // a note (html entity) in the identity's collection, as the web app stores it
  writeNote (identity, id, content) {
    doc.transact(() => {
      doc.getMap('identities').set(identity, true)
      doc.getMap(identity).set(id, { content: entity(id, identity, content), signature: '' })
    })
  },
  readNote (identity, id) {
    const v = doc.getMap(identity).get(id)
    return v && v.content && v.content.data ? v.content.data.content : null
  },
  // every note of every collection: [[identity, id, content], ...]
  notes () {
    const out = []
    doc.getMap('identities').forEach((_, identity) => {
      doc.getMap(identity).forEach((v, id) => {
        if (v && v.content && v.content.data) out.push([identity, id, v.content.data.content])
      })
    })
    return out
  },
  // presence as the app publishes it with join()
  join (id, nickname) {
    provider.awareness.setLocalStateField('identity', { identity: { id, nickname, version: '1' }, timestamp: Date.now(), joined: true })
  },
  // the other peers' presence: [{clientId, identity}]
  presence () {
    const out = []
    provider.awareness.getStates().forEach((state, clientId) => {
      if (clientId !== doc.clientID && state && state.identity) out.push({ clientId, identity: state.identity })
    })
    return out
  },
  // benchmark: answer every key `ping-N` of map `bench` with `pong-N`
  echo () {
    const bench = doc.getMap('bench')
    const handler = event => {
      event.keysChanged.forEach(k => {
        if (k.startsWith('ping-') && !bench.has('pong-' + k.slice(5))) bench.set('pong-' + k.slice(5), Date.now())
      })
    }
    bench.observe(handler)
    echoOff = () => bench.unobserve(handler)
    return true
  },
  // benchmark: n round trips ping -> pong through the peer; returns each round trip in ms
  async roundTrips (n, tag) {
    const bench = doc.getMap('bench')
    const times = []
    for (let i = 0; i < n; i++) {
      const key = tag + '-' + i
      const t0 = performance.now()
      const seen = new Promise((resolve, reject) => {
        const timer = setTimeout(() => { bench.unobserve(h); reject(new Error('no pong for ' + key)) }, 10000)
        const h = event => { if (event.keysChanged.has('pong-' + key)) { clearTimeout(timer); bench.unobserve(h); resolve() } }
        bench.observe(h)
      })
      bench.set('ping-' + key, Date.now())
      await seen
      times.push(performance.now() - t0)
    }
    return times
  },
  stop () {
    if (echoOff) echoOff()
    if (provider) provider.destroy()
    provider = null
    return true
  }
}
