// A real JS provider on one document, driven line by line from stdin, for tests that need to act
// between events (kick, rejoin, store failures). Argument (JSON): {kind: "hp4" | "hp2" | "yws", url,
// doc, token, name}. Provider: @hocuspocus/provider 4.8.0 ("hp4"), 2.15.3 ("hp2") or y-websocket.
// stdin commands:
//   write <key> <int>   sets notes[key] = int in the Y.Map "notes"
//   big <key> <n>       sets notes[key] = a string of n characters (large messages)
//   aware <n>           sets the local awareness field "blob" to a string of n characters
//   aw                  prints "AW <JSON of the other clients' awareness states by client id>"
//   dump                prints "DUMP <synced 0|1> <unsynced> <socket closes> <bytes of the other clients'
//                       awareness states> <JSON of notes, keys sorted; strings over 64 chars as "<len:n>">"
//   exit                destroys the provider and exits 0
// stdout events: "AWCHANGE <client id> <JSON state>" (another client's awareness added or changed),
// "SYNCED" (each time the provider reports synced), "SOCKETCLOSE <code> <reason>" (the
// WebSocket closed), "DOCCLOSE <reason>" (Hocuspocus CLOSE message for the document), "DENIED <reason>".
import * as Y from 'yjs'
import WebSocket from 'ws'
import readline from 'node:readline'

const cfg = JSON.parse(process.argv[2])
const out = (s) => process.stdout.write(s + '\n')
const doc = new Y.Doc()
const notes = doc.getMap('notes')
let closes = 0
let provider
let isSynced
let unsynced

if (cfg.kind === 'yws') {
  const { WebsocketProvider } = await import('y-websocket')
  provider = new WebsocketProvider(cfg.url, cfg.doc, doc, {
    WebSocketPolyfill: WebSocket, params: cfg.token ? { token: cfg.token } : {}, maxBackoffTime: 500
  })
  provider.on('connection-close', (event) => { closes++; out(`SOCKETCLOSE ${event?.code} ${event?.reason ?? ''}`) })
  provider.on('sync', (s) => { if (s) out('SYNCED') })
  isSynced = () => provider.synced
  unsynced = () => 0
} else {
  const mod = cfg.kind === 'hp2' ? await import('hocuspocus-provider-2') : await import('@hocuspocus/provider')
  const socket = new mod.HocuspocusProviderWebsocket({
    url: cfg.url, WebSocketPolyfill: WebSocket, quiet: true, delay: 50, minDelay: 50, maxDelay: 500,
    onClose: ({ event }) => { closes++; out(`SOCKETCLOSE ${event?.code} ${event?.reason ?? ''}`) }
  })
  provider = new mod.HocuspocusProvider({
    websocketProvider: socket, name: cfg.doc, document: doc, token: cfg.token ?? 'default',
    onAuthenticationFailed: ({ reason }) => out(`DENIED ${reason}`),
    onSynced: () => out('SYNCED')
  })
  provider.attach?.()
  // provider-level close: a Hocuspocus CLOSE message for this document (4.x), or the socket's close
  provider.on('close', ({ event }) => { if (event?.code === 1000) out(`DOCCLOSE ${event?.reason ?? ''}`) })
  isSynced = () => provider.isSynced ?? provider.synced
  unsynced = () => provider.unsyncedChanges ?? 0
}
provider.awareness?.setLocalStateField('user', cfg.name)
provider.awareness?.on('change', ({ added, updated }) => {
  for (const id of [...added, ...updated]) {
    if (id !== doc.clientID) out(`AWCHANGE ${id} ${JSON.stringify(provider.awareness.getStates().get(id) ?? null)}`)
  }
})

const short = (v) => (typeof v === 'string' && v.length > 64 ? `<len:${v.length}>` : v)
const sorted = () => JSON.stringify(Object.fromEntries(Object.entries(notes.toJSON()).sort().map(([k, v]) => [k, short(v)])))
const awarenessBytes = () => {
  if (!provider.awareness) return 0
  let n = 0
  for (const [id, st] of provider.awareness.getStates()) if (id !== doc.clientID) n += JSON.stringify(st).length
  return n
}
const rl = readline.createInterface({ input: process.stdin })
rl.on('line', (line) => {
  const [cmd, key, value] = line.trim().split(' ')
  if (cmd === 'write') notes.set(key, parseInt(value, 10))
  else if (cmd === 'big') notes.set(key, 'x'.repeat(parseInt(value, 10)))
  else if (cmd === 'aware') provider.awareness.setLocalStateField('blob', 'a'.repeat(parseInt(key, 10)))
  else if (cmd === 'aw') {
    const o = {}
    for (const [id, st] of provider.awareness.getStates()) if (id !== doc.clientID) o[id] = st
    out(`AW ${JSON.stringify(o)}`)
  } else if (cmd === 'dump') out(`DUMP ${isSynced() ? 1 : 0} ${unsynced()} ${closes} ${awarenessBytes()} ${sorted()}`)
  else if (cmd === 'exit') { provider.destroy(); setTimeout(() => process.exit(0), 50) }
})
rl.on('close', () => process.exit(0))
