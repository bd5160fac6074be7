// End-to-end proof in a real browser: two Chromium pages (different origins) load a page bundled
// from @trystero-p2p/torrent 0.25.4 + yjs, join one trystero room whose relayConfig.urls lists only
// the tracker under test, connect over WebRTC, exchange chat messages, then edit one Yjs document
// concurrently over trystero actions until both hold the same state. With --hocuspocus, page B then
// syncs that document to the given endpoint with @hocuspocus/provider 2.15 and waits until the
// server has acknowledged every change.
// Usage: node browser-e2e.mjs --tracker <ws-url> --chromium <path> --origins <a>,<b>
//        [--tracker-b <ws-url>] [--hocuspocus <ws-url> --doc <name>] [--password <room password>]
// --tracker-b: page B uses this tracker instead (another instance of a cluster: the swarm spans both).
// Prints one JSON line with observations; exits 1 with a message on failure.
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import * as esbuild from 'esbuild'
import { chromium } from 'playwright-core'

const { values: args } = parseArgs({
  options: {
    tracker: { type: 'string' },
    'tracker-b': { type: 'string' },
    chromium: { type: 'string' },
    origins: { type: 'string' },
    hocuspocus: { type: 'string' },
    doc: { type: 'string' },
    password: { type: 'string' }
  }
})
const [originA, originB] = (args.origins || '').split(',')
if (!args.tracker || !args.chromium || !originA || !originB) {
  console.error('usage: node browser-e2e.mjs --tracker <ws-url> --chromium <path> --origins <a>,<b> [--hocuspocus <ws-url> --doc <name>]')
  process.exit(2)
}
const here = dirname(fileURLToPath(import.meta.url))
const started = Date.now()
const bundle = await esbuild.build({
  entryPoints: [join(here, 'page-entry.js')],
  bundle: true,
  write: false,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  logLevel: 'silent'
})
const html = '<!doctype html><meta charset="utf-8"><title>nodenogg torrent e2e</title><script>' +
  bundle.outputFiles[0].text.replace(/<\/script/g, '<\\/script') + '</script>'

const userDataDir = mkdtempSync(join(tmpdir(), 'nodenogg-chromium-'))
let context
const pageServers = []
const logs = []
const poll = async (what, fn, ms = 30000) => {
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
  for (const origin of [originA, originB]) {
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
    page.on('console', m => { if (m.type() === 'error' || m.type() === 'warning' || process.env.E2E_VERBOSE) logs.push(name + ' console: ' + m.text()) })
  }
  await pageA.goto(originA + '/index.html')
  await pageB.goto(originB + '/index.html')

  const options = { tracker: args.tracker, appId: 'nodenogg-sync-e2e', roomId: 'microcosm-' + started, password: args.password || null }
  const idA = await pageA.evaluate(o => window.e2e.join(o), options)
  const idB = await pageB.evaluate(o => window.e2e.join(o), { ...options, tracker: args['tracker-b'] || args.tracker })
  await poll('the pages to find each other through the tracker and connect over WebRTC', async () =>
    (await pageA.evaluate(() => window.e2e.peers())).includes(idB) &&
    (await pageB.evaluate(() => window.e2e.peers())).includes(idA))
  const connectedMs = Date.now() - started

  await pageA.evaluate(() => window.e2e.say('hello from A'))
  const inB = await poll('the message in page B', async () =>
    (await pageB.evaluate(() => window.e2e.messages())).find(m => m.text === 'hello from A'))
  await pageB.evaluate(() => window.e2e.say('hello back from B'))
  const inA = await poll('the reply in page A', async () =>
    (await pageA.evaluate(() => window.e2e.messages())).find(m => m.text === 'hello back from B'))

  // concurrent edits on both sides, then wait until both documents hold the same state
  await Promise.all([
    pageA.evaluate(() => { window.e2e.writeNote('note-a', 'written in A'); window.e2e.insertTitle(0, 'from A;') }),
    pageB.evaluate(() => { window.e2e.writeNote('note-b', 'written in B'); window.e2e.insertTitle(0, 'from B;') })
  ])
  for (let i = 0; i < 5; i++) {
    await pageA.evaluate(i => window.e2e.writeNote('a-' + i, 'A edit ' + i), i)
    await pageB.evaluate(i => window.e2e.writeNote('b-' + i, 'B edit ' + i), i)
  }
  let last = null
  const converged = await poll('both documents to converge', async () => {
    const a = await pageA.evaluate(() => window.e2e.snapshot())
    const b = await pageB.evaluate(() => window.e2e.snapshot())
    last = { a, b }
    return JSON.stringify(a) === JSON.stringify(b) && Object.keys(a.notes).length === 12 ? a : null
  }).catch(e => { throw new Error(e.message + '; last seen ' + JSON.stringify(last)) })
  const yjsReceived = { A: await pageA.evaluate(() => window.e2e.yjsReceived), B: await pageB.evaluate(() => window.e2e.yjsReceived) }

  let hocuspocus = null
  if (args.hocuspocus) {
    await pageB.evaluate(o => window.e2e.connectHocuspocus(o), { url: args.hocuspocus, name: args.doc })
    hocuspocus = await poll('Hocuspocus sync of page B', async () => {
      const state = await pageB.evaluate(() => window.e2e.hocuspocusState())
      return state && state.synced && state.unsynced === 0 ? state : null
    })
  }
  await pageA.evaluate(() => window.e2e.leave())
  await pageB.evaluate(() => window.e2e.leave())
  console.log(JSON.stringify({
    ok: true,
    idA,
    idB,
    messageInB: inB,
    messageInA: inA,
    converged,
    yjsReceived,
    hocuspocus,
    connectedMs,
    totalMs: Date.now() - started,
    logs
  }))
} catch (e) {
  console.error('FAIL: ' + (e.stack || String(e)) + '\npage logs: ' + logs.join('\n'))
  process.exitCode = 1
} finally {
  if (context) await context.close().catch(() => {})
  for (const server of pageServers) server.close()
  rmSync(userDataDir, { recursive: true, force: true })
}
