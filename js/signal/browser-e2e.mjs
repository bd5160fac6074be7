// End-to-end proof in a real browser: two Chromium pages (different origins, so no shared
// BroadcastChannel) load a page bundled from yjs + y-webrtc, join one room through the given
// signalling server, and a note written in one appears in the other over the WebRTC data channel.
// Usage: node browser-e2e.mjs --signal <ws-url> --chromium <path> --origins <a>,<b> [--password <pw>]
//        [--denied <origin>]   (a third page from this origin must be refused: status fetch and socket)
//        [--hocuspocus <ws-url> --doc <name>]   (page B, which got the note over WebRTC, then syncs
//        the document to this Hocuspocus endpoint with @hocuspocus/provider 2.15 and waits until
//        the server has acknowledged every change)
// Each origin (http://127.0.0.1:<port> or http://localhost:<port>) is served by a small loopback
// HTTP server here, so the pages live in the loopback address space like a locally served app.
// Prints one JSON line with observations; exits 1 with a message on failure.
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as esbuild from 'esbuild'
import { chromium } from 'playwright-core'

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, a, i, all) =>
  a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs, []))
const fail = (why) => { console.error('FAIL: ' + why); process.exitCode = 1 }
const here = dirname(fileURLToPath(import.meta.url))
const [originA, originB] = (args.origins || '').split(',')
if (!args.signal || !args.chromium || !originA || !originB) {
  console.error('usage: node browser-e2e.mjs --signal <ws-url> --chromium <path> --origins <a>,<b> [--password <pw>]')
  process.exit(2)
}
const started = Date.now()
const bundle = await esbuild.build({
  entryPoints: [join(here, 'page-entry.js')],
  bundle: true,
  write: false,
  format: 'iife',
  platform: 'browser',
  target: 'es2020',
  logLevel: 'silent'
})
const html = '<!doctype html><meta charset="utf-8"><title>nodenogg e2e</title><script>' +
  bundle.outputFiles[0].text.replace(/<\/script/g, '<\\/script') + '</script>'

const userDataDir = mkdtempSync(join(tmpdir(), 'nodenogg-chromium-'))
let context
const pageServers = []
const logs = []
const poll = async (what, fn, ms = 20000) => {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await fn()
    if (value) return value
    if (Date.now() > deadline) throw new Error('timed out waiting for ' + what)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: args.chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
      // loopback WebRTC: real host addresses instead of mDNS names
      '--disable-features=WebRtcHideLocalIpsWithMdns', '--allow-loopback-in-peer-connection']
  })
  for (const origin of [originA, originB, args.denied].filter(Boolean)) {
    const server = createServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
      res.end(html)
    })
    await new Promise((resolve, reject) => {
      server.once('error', reject)
      server.listen(Number(new URL(origin).port), '127.0.0.1', resolve)
    })
    pageServers.push(server)
  }
  const pageA = await context.newPage()
  const pageB = await context.newPage()
  for (const [name, page] of [['A', pageA], ['B', pageB]]) {
    page.on('pageerror', e => logs.push(name + ' error: ' + e.message))
    page.on('console', m => { if (m.type() === 'error' || process.env.E2E_VERBOSE) logs.push(name + ' console: ' + m.text()) })
  }
  await pageA.goto(originA + '/index.html')
  await pageB.goto(originB + '/index.html')

  // What the nodenogg.in client does first: GET the signalling URL and require {status:'ok'}.
  const httpUrl = args.signal.replace(/^ws/, 'http')
  const statusA = await pageA.evaluate(url => window.e2e.status(url).catch(e => ({ error: String(e) })), httpUrl)
  if (statusA.status !== 200 || statusA.body.status !== 'ok') throw new Error('status check failed: ' + JSON.stringify(statusA) + ' ' + logs.join(' | '))

  let denied = null
  if (args.denied) {
    const pageC = await context.newPage()
    await pageC.goto(args.denied + '/index.html')
    denied = await pageC.evaluate(async ([httpUrl, wsUrl]) => {
      const fetched = await fetch(httpUrl).then(() => true, () => false)
      const opened = await new Promise(resolve => {
        const ws = new WebSocket(wsUrl)
        ws.onopen = () => { resolve(true); ws.close() }
        ws.onerror = () => resolve(false)
        ws.onclose = () => resolve(false)
      })
      return { fetched, opened }
    }, [httpUrl, args.signal])
    await pageC.close()
  }

  const room = 'nodenogg-e2e-' + started
  const options = { signal: args.signal, room, password: args.password || null }
  // B joins once A is in the room (as when one person opens a microcosm after another); starting
  // both at the same instant makes both sides initiate and exercises y-webrtc's glare handling.
  await pageA.evaluate(o => window.e2e.start(o), options)
  await poll('page A in the room', () => pageA.evaluate(() => window.e2e.signalingReady()))
  await new Promise(resolve => setTimeout(resolve, 200))
  await pageB.evaluate(o => window.e2e.start(o), options)
  await poll('a WebRTC data channel between the pages', async () =>
    (await pageA.evaluate(() => window.e2e.peers().webrtc)) > 0 &&
    (await pageB.evaluate(() => window.e2e.peers().webrtc)) > 0)
  const connectedMs = Date.now() - started

  const note = 'written in A at ' + new Date(started).toISOString()
  await pageA.evaluate(([id, text]) => window.e2e.write(id, text), ['note-1', note])
  const seenInB = await poll('the note in page B', () => pageB.evaluate(() => window.e2e.read('note-1')))
  await pageB.evaluate(([id, text]) => window.e2e.write(id, text), ['note-2', 'reply from B'])
  const seenInA = await poll('the reply in page A', () => pageA.evaluate(() => window.e2e.read('note-2')))
  let hocuspocus = null
  if (args.hocuspocus) {
    await pageB.evaluate(o => window.e2e.connectHocuspocus(o), { url: args.hocuspocus, name: args.doc })
    hocuspocus = await poll('Hocuspocus sync of page B', async () => {
      const state = await pageB.evaluate(() => window.e2e.hocuspocusState())
      return state && state.synced && state.unsynced === 0 ? state : null
    })
  }
  const peersA = await pageA.evaluate(() => window.e2e.peers())
  const peersB = await pageB.evaluate(() => window.e2e.peers())
  if (seenInB !== note) throw new Error('page B read ' + JSON.stringify(seenInB))
  if (peersA.bc !== 0 || peersB.bc !== 0) throw new Error('pages were linked by BroadcastChannel, not only WebRTC')
  await pageA.evaluate(() => window.e2e.stop())
  await pageB.evaluate(() => window.e2e.stop())
  console.log(JSON.stringify({
    ok: true, room, denied, hocuspocus, note, password: Boolean(args.password), seenInB, seenInA, peersA, peersB,
    connectedMs, totalMs: Date.now() - started, browser: context.browser() ? context.browser().version() : 'persistent', logs
  }))
} catch (e) {
  fail((e.stack || String(e)) + '\npage logs: ' + logs.join('\n'))
} finally {
  if (context) await context.close().catch(() => {})
  for (const server of pageServers) server.close()
  rmSync(userDataDir, { recursive: true, force: true })
}
