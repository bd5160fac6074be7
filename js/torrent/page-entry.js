// Bundled by browser-e2e.mjs with esbuild at test time: a page that joins a trystero room through
// the tracker under test (relayConfig.urls lists only it), talks over a trystero action, shares a
// Yjs document over trystero actions (the small adapter below) and, on request, syncs the same
// document to a Hocuspocus endpoint with @hocuspocus/provider 2.15 (the nodenogg.in web app's).
import * as Y from 'yjs'
import { joinRoom, selfId } from '@trystero-p2p/torrent'
import { HocuspocusProvider } from 'hocuspocus-provider-2'

let room = null
let chat = null
let hocuspocus = null
const doc = new Y.Doc()
const messages = []
const peers = new Set()

// Yjs over trystero: a peer that joins gets our whole state once, then every local update goes to
// all peers; updates that came from a peer are applied with origin 'trystero' and not sent back.
const TRYSTERO = 'trystero'
function attachYjs (yjsAction) {
  yjsAction.onMessage = (payload, { peerId }) => {
    Y.applyUpdate(doc, new Uint8Array(payload), TRYSTERO)
    window.e2e.yjsReceived++
    if (!window.e2e.yjsFrom.includes(peerId)) window.e2e.yjsFrom.push(peerId)
  }
  doc.on('update', (update, origin) => {
    if (origin !== TRYSTERO && peers.size > 0) yjsAction.send(update)
  })
  return peerId => yjsAction.send(Y.encodeStateAsUpdate(doc), { target: peerId })
}

window.e2e = {
  selfId,
  yjsReceived: 0,
  yjsFrom: [],
  join ({ tracker, appId, roomId, password }) {
    room = joinRoom({
      appId,
      password: password || undefined,
      relayConfig: { urls: [tracker] },
      // loopback only: host candidates, no STUN servers
      rtcConfig: { iceServers: [] }
    }, roomId)
    chat = room.makeAction('chat')
    chat.onMessage = (text, { peerId }) => messages.push({ from: peerId, text })
    const sendStateTo = attachYjs(room.makeAction('yjs'))
    room.onPeerJoin = peerId => {
      peers.add(peerId)
      sendStateTo(peerId)
    }
    room.onPeerLeave = peerId => peers.delete(peerId)
    return selfId
  },
  peers: () => [...peers],
  say: text => chat.send(text),
  messages: () => messages.slice(),
  writeNote (id, text) {
    doc.getMap('notes').set(id, text)
  },
  insertTitle (index, text) {
    doc.getText('title').insert(index, text)
  },
  snapshot: () => ({
    // keys sorted: a YMap lists its keys in the order this replica learned them
    notes: Object.fromEntries(Object.entries(doc.getMap('notes').toJSON()).sort(([x], [y]) => x < y ? -1 : x > y ? 1 : 0)),
    title: doc.getText('title').toString(),
    stateVector: Array.from(Y.encodeStateVector(doc))
  }),
  connectHocuspocus ({ url, name }) {
    hocuspocus = new HocuspocusProvider({ url, name, document: doc, token: 'e2e' })
    return true
  },
  hocuspocusState () {
    if (!hocuspocus) return null
    return { synced: hocuspocus.synced, unsynced: hocuspocus.unsyncedChanges, status: hocuspocus.status }
  },
  async leave () {
    if (hocuspocus) hocuspocus.destroy()
    if (room) await room.leave()
  }
}
