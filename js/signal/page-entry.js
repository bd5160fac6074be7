// Bundled by browser-e2e.mjs with esbuild at test time: a minimal nodenogg-like page that joins a
// y-webrtc room and exposes a tiny API to the test driver as window.e2e.
import * as Y from 'yjs'
import { WebrtcProvider } from 'y-webrtc'
import { HocuspocusProvider } from 'hocuspocus-provider-2'

let doc = null
let provider = null
let hocuspocus = null

window.e2e = {
  async status (url) {
    const response = await fetch(url)
    return { status: response.status, body: await response.json() }
  },
  start ({ signal, room, password }) {
    doc = new Y.Doc()
    provider = new WebrtcProvider(room, doc, {
      signaling: [signal],
      password: password || null,
      // loopback only: host candidates, no STUN
      peerOpts: { config: { iceServers: [] } }
    })
    return doc.clientID
  },
  write (id, text) {
    doc.getMap('notes').set(id, text)
  },
  read (id) {
    const value = doc.getMap('notes').get(id)
    return value === undefined ? null : value
  },
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
  // The nodenogg.in web app's sync path (E4/E5): @hocuspocus/provider 2.15 on the same document.
  connectHocuspocus ({ url, name, token }) {
    hocuspocus = new HocuspocusProvider({ url, name, document: doc, token: token || 'e2e' })
    return true
  },
  hocuspocusState () {
    if (!hocuspocus) return null
    return { synced: hocuspocus.synced, unsynced: hocuspocus.unsyncedChanges, status: hocuspocus.status }
  },
  stop () {
    if (hocuspocus) hocuspocus.destroy()
    if (provider) provider.destroy()
  }
}
