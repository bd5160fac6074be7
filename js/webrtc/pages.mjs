// Drives headless Chromium pages running y-webrtc 10.3.0 (page.js bundled with esbuild) for the Java
// tests of webrtc-peer. Line protocol: one JSON command per stdin line, one JSON answer per stdout line.
//   {"id":1,"cmd":"open","pages":2}                 launch Chromium, open N pages (each its own origin)
//   {"id":2,"cmd":"call","page":0,"fn":"start","args":[{...}]}   await window.t[fn](...args) in that page
//   {"id":3,"cmd":"close"}                          close everything and exit
// Answers: {"id":..,"ok":true,"value":..} or {"id":..,"ok":false,"error":".."}.
// Usage: node pages.mjs --chromium /usr/bin/chromium
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import * as esbuild from 'esbuild'
import { chromium } from 'playwright-core'

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, a, i, all) =>
  a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs, []))
if (!args.chromium) {
  console.error('usage: node pages.mjs --chromium <path>')
  process.exit(2)
}
const here = dirname(fileURLToPath(import.meta.url))
const bundle = await esbuild.build({
  entryPoints: [join(here, 'page.js')],
  bundle: true,
  write: false,
  format: 'iife',
  platform: 'browser',
  target: 'es2020',
  logLevel: 'silent'
})
const html = '<!doctype html><meta charset="utf-8"><title>webrtc-peer test page</title><script>' +
  bundle.outputFiles[0].text.replace(/<\/script/g, '<\\/script') + '</script>'

const userDataDir = mkdtempSync(join(tmpdir(), 'nodenogg-webrtc-chromium-'))
let context = null
const servers = []
const pages = []
const logs = []

async function open (n) {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: args.chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
      // loopback WebRTC: real host addresses instead of mDNS names (a JVM peer cannot resolve .local)
      '--disable-features=WebRtcHideLocalIpsWithMdns', '--allow-loopback-in-peer-connection']
  })
  for (let i = 0; i < n; i++) {
    // each page on its own origin, so pages never share a BroadcastChannel
    const server = createServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
      res.end(html)
    })
    await new Promise((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', resolve)
    })
    servers.push(server)
    const page = await context.newPage()
    page.on('pageerror', e => logs.push(i + ' error: ' + e.message))
    page.on('console', m => { if (m.type() === 'error' || process.env.E2E_VERBOSE) logs.push(i + ' console: ' + m.text()) })
    await page.goto('http://127.0.0.1:' + server.address().port + '/index.html')
    pages.push(page)
  }
  return { pages: pages.length, browser: context.browser() ? context.browser().version() : 'chromium' }
}

async function close () {
  if (context) await context.close().catch(() => {})
  for (const s of servers) s.close()
  rmSync(userDataDir, { recursive: true, force: true })
}

const answer = o => process.stdout.write(JSON.stringify(o) + '\n')
const rl = createInterface({ input: process.stdin })
let queue = Promise.resolve()
rl.on('line', line => {
  queue = queue.then(async () => {
    let cmd
    try {
      cmd = JSON.parse(line)
    } catch (e) {
      answer({ ok: false, error: 'not JSON: ' + line })
      return
    }
    try {
      let value
      if (cmd.cmd === 'open') value = await open(cmd.pages || 1)
      else if (cmd.cmd === 'call') {
        const page = pages[cmd.page]
        if (!page) throw new Error('no page ' + cmd.page)
        value = await page.evaluate(([fn, a]) => window.t[fn](...a), [cmd.fn, cmd.args || []])
      } else if (cmd.cmd === 'logs') value = logs.splice(0)
      else if (cmd.cmd === 'close') {
        await close()
        answer({ id: cmd.id, ok: true, value: logs })
        process.exit(0)
      } else throw new Error('unknown command ' + cmd.cmd)
      answer({ id: cmd.id, ok: true, value: value === undefined ? null : value })
    } catch (e) {
      answer({ id: cmd.id, ok: false, error: String(e && e.stack ? e.stack : e) + (logs.length ? '\npage logs: ' + logs.join('\n') : '') })
    }
  })
})
rl.on('close', () => { queue.then(close).then(() => process.exit(0)) })
