// A real JS client (Hocuspocus provider 4.8 "hp4", 2.15.3 "hp2", or y-websocket "yws") driven by
// a JSON argument. For each document it waits for sync, writes `count` entries "<name>-<i>" = i
// into the Y.Map "notes", waits until the map has `expect` entries (every participant's writes),
// waits until the server acknowledged its changes (Hocuspocus), then prints
//   RESULT <doc> <JSON of the map, keys sorted>
// Other lines: "SYNCED <doc>", "DENIED <doc> <reason>", "READONLY <doc>", "UNSYNCED <doc> <n>".
// Config: {kind, url, docs:[...], token, name, count, expect (number or {doc: n}), timeoutMs,
//          expectDenied, expectReadOnly, settleMs, noToken (Hocuspocus: configure no token at all)}
import * as Y from 'yjs'
import WebSocket from 'ws'

const cfg = JSON.parse(process.argv[2])
const out = (s) => process.stdout.write(s + '\n')
const deadline = Date.now() + (cfg.timeoutMs ?? 20000)
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const until = async (what, cond) => {
  while (!cond()) {
    if (Date.now() > deadline) { out(`TIMEOUT ${what}`); process.exit(3) }
    await sleep(20)
  }
}
const sorted = (m) => JSON.stringify(Object.fromEntries(Object.entries(m.toJSON()).sort()))

const sessions = []
if (cfg.kind === 'yws') {
  const { WebsocketProvider } = await import('y-websocket')
  for (const name of cfg.docs) {
    const doc = new Y.Doc()
    const provider = new WebsocketProvider(cfg.url, name, doc, {
      WebSocketPolyfill: WebSocket, params: cfg.token ? { token: cfg.token } : {}
    })
    provider.awareness.setLocalStateField('user', cfg.name)
    sessions.push({ name, doc, provider, isSynced: () => provider.synced, unsynced: () => 0 })
  }
} else {
  const mod = cfg.kind === 'hp2' ? await import('hocuspocus-provider-2') : await import('@hocuspocus/provider')
  const socket = new mod.HocuspocusProviderWebsocket({ url: cfg.url, WebSocketPolyfill: WebSocket, quiet: true })
  for (const name of cfg.docs) {
    const doc = new Y.Doc()
    const s = { name, doc, denied: null, readOnly: false }
    s.provider = new mod.HocuspocusProvider({
      websocketProvider: socket, name, document: doc, token: cfg.noToken ? undefined : (cfg.token ?? 'default'),
      onAuthenticationFailed: ({ reason }) => { s.denied = reason ?? 'denied' },
      onAuthenticated: (data) => { s.readOnly = (data && data.scope === 'readonly') || s.provider.authorizedScope === 'readonly' }
    })
    if (cfg.kind === 'hp2') s.provider.attach?.()
    else s.provider.attach?.()
    s.provider.awareness?.setLocalStateField('user', cfg.name)
    s.isSynced = () => s.provider.isSynced ?? s.provider.synced
    s.unsynced = () => s.provider.unsyncedChanges ?? 0
    sessions.push(s)
  }
}

for (const s of sessions) {
  if (cfg.expectDenied) {
    await until(`denied ${s.name}`, () => s.denied !== null)
    out(`DENIED ${s.name} ${s.denied}`)
    continue
  }
  await until(`sync ${s.name}`, () => s.isSynced())
  out(`SYNCED ${s.name}`)
}
if (cfg.expectDenied) process.exit(0)
for (let i = 0; i < (cfg.count ?? 0); i++) {
  for (const s of sessions) {
    s.doc.getMap('notes').set(`${cfg.name}-${i}`, i)
  }
  await sleep(5)
}
if (cfg.expectReadOnly) {
  await sleep(500)
  for (const s of sessions) out(`READONLY ${s.name} ${s.provider.authorizedScope ?? ''} UNSYNCED ${s.unsynced()}`)
  process.exit(0)
}
for (const s of sessions) {
  const want = typeof cfg.expect === 'object' ? (cfg.expect[s.name] ?? 0) : (cfg.expect ?? 0)
  await until(`expect ${s.name} ${want} have ${s.doc.getMap('notes').size}`, () => s.doc.getMap('notes').size >= want)
  await until(`acks ${s.name}`, () => s.unsynced() === 0)
}
await sleep(cfg.settleMs ?? 300)
for (const s of sessions) out(`RESULT ${s.name} ${sorted(s.doc.getMap('notes'))}`)
for (const s of sessions) s.provider.destroy()
await sleep(100)
process.exit(0)
