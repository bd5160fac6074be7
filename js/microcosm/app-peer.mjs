// Plays the nodenogg.in web app (E5) live: Hocuspocus provider 2.15.3 (the version the app pins),
// document name = microcosm id, token 'default'. It joins (awareness `identity` in the E5 shape),
// writes one note in its own collection the way the app does, then waits until the Java peer's
// collection holds `expect` entities and the Java identity is present, and checks them with the app's
// rules. Prints "SYNCED" once synced, then one line "RESULT <json>" with
// {errors, collections, presence, mine: <entity id of the app's note>}, stays connected until its
// stdin is closed, then leaves and exits 0.
// Config (JSON argument): {url, name, identity, javaIdentity, expect, timeoutMs}
import * as Y from 'yjs'
import WebSocket from 'ws'
import { HocuspocusProvider, HocuspocusProviderWebsocket } from 'hocuspocus-provider-2'
import { makeRules } from './rules.mjs'

const cfg = JSON.parse(process.argv[2])
const out = (s) => process.stdout.write(s + '\n')
const deadline = Date.now() + (cfg.timeoutMs ?? 30000)
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const until = async (what, cond) => {
  while (!cond()) {
    if (Date.now() > deadline) { out(`TIMEOUT ${what}`); process.exit(3) }
    await sleep(20)
  }
}

const doc = new Y.Doc()
const socket = new HocuspocusProviderWebsocket({ url: cfg.url, WebSocketPolyfill: WebSocket, quiet: true })
const provider = new HocuspocusProvider({ websocketProvider: socket, name: cfg.name, document: doc, token: 'default' })
await until('sync', () => provider.isSynced)
out('SYNCED')

// what the app does on open: register → identify → join
const me = cfg.identity
provider.awareness.setLocalStateField('identity', { identity: { id: me, nickname: 'Browser', version: '1' }, timestamp: Date.now(), joined: true })
const now = Date.now()
const noteId = 'e' + Math.random().toString(36).slice(2, 10).padEnd(8, '0') + 'app00000'
doc.transact(() => {
  doc.getMap('identities').set(me, true)
  doc.getMap(me).set(noteId, {
    content: { id: noteId, identity_id: me, lastEdited: now, created: now, data: { type: 'html', x: 12, y: 34, width: 200, height: 200, content: '<p>from the browser</p>' }, version: '1' },
    signature: ''
  })
})

const errors = []
const rules = makeRules('e5', errors)
const javaPresent = () => [...provider.awareness.getStates().values()].some((s) => s.identity?.identity?.id === cfg.javaIdentity && s.identity.joined === true)
await until('java entities', () => doc.getMap(cfg.javaIdentity).size >= cfg.expect && doc.getMap('identities').get(cfg.javaIdentity) === true)
await until('java presence', javaPresent)
await until('acks', () => (provider.unsyncedChanges ?? 0) === 0)
const collections = rules.checkCollections(doc)
const presence = rules.checkPresence(provider.awareness.getStates(), doc.clientID)
out('RESULT ' + JSON.stringify({ errors, collections, presence, mine: noteId }))
// stay connected (and present) until the Java side closes our stdin
await new Promise((resolve) => { process.stdin.on('end', resolve); process.stdin.on('close', resolve); process.stdin.resume() })
provider.destroy()
socket.destroy()
process.exit(0)
