// Drives the server's live inspector page (/inspect) in Debian's Chromium for InspectorBrowserTest.
// usage: node inspector-e2e.mjs --url http://127.0.0.1:PORT/inspect --token ADMIN --chromium /usr/bin/chromium
//        --doc NAME --downloads DIR
// Reads commands on stdin, one per line, and answers each with one JSON line on stdout:
//   expect <entityId>  → {event:'seen', id, at, text}      at = Date.now() when the note's element appeared
//   state              → {event:'state', notes, emoji, connections, presence, history, status}
//   export <format>    → {event:'export', name, content}   (clicks the page's export button, reads the download)
//   screenshot <path>  → {event:'screenshot', path}
//   quit
import { chromium } from 'playwright-core'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

const args = {}
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1]
const say = (o) => process.stdout.write(JSON.stringify(o) + '\n')
const poll = async (what, fn, ms = 20000) => {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await fn()
    if (value) return value
    if (Date.now() > deadline) throw new Error('timed out waiting for ' + what)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

const userDataDir = mkdtempSync(join(tmpdir(), 'nodenogg-inspector-'))
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: args.chromium,
  headless: true,
  acceptDownloads: true,
  viewport: { width: 1400, height: 860 },
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync']
})
const logs = []
try {
  const page = await context.newPage()
  page.on('console', m => logs.push(m.type() + ': ' + m.text()))
  page.on('pageerror', e => logs.push('pageerror: ' + e.message))
  await page.goto(args.url + '#token=' + encodeURIComponent(args.token))
  const row = `tr.microcosm[data-name="${args.doc}"]`
  await page.waitForSelector(row, { timeout: 20000 })
  await page.click(row)
  await page.waitForSelector('#layer-notes .note', { timeout: 20000 })
  // when each note element first appears, by the page's clock (the machine's, shared with the test)
  await page.evaluate(() => {
    window.__seen = {}
    const mark = () => {
      for (const g of document.querySelectorAll('#layer-notes .note')) {
        if (!window.__seen[g.dataset.id]) window.__seen[g.dataset.id] = Date.now()
      }
    }
    mark()
    new MutationObserver(mark).observe(document.getElementById('layer-notes'), { childList: true, subtree: true })
  })
  say({ event: 'ready', notes: await page.$$eval('#layer-notes .note', gs => gs.map(g => g.dataset.id)) })

  const lines = createInterface({ input: process.stdin })
  for await (const line of lines) {
    const [cmd, arg] = line.trim().split(/\s+/, 2)
    if (cmd === 'quit') break
    if (cmd === 'expect') {
      const at = await poll('note ' + arg, () => page.evaluate(id => window.__seen[id], arg), 20000)
      const text = await page.$eval(`#layer-notes .note[data-id="${arg}"] .text`, d => d.textContent)
      say({ event: 'seen', id: arg, at, text })
    } else if (cmd === 'state') {
      say({
        event: 'state',
        status: await page.textContent('#status'),
        notes: await page.$$eval('#layer-notes .note', gs => gs.map(g => ({ id: g.dataset.id, owner: g.dataset.owner, text: g.querySelector('.text').textContent, x: +g.querySelector('rect').getAttribute('x'), y: +g.querySelector('rect').getAttribute('y') }))),
        emoji: await page.$$eval('#layer-emoji .emoji', ts => ts.map(t => ({ id: t.dataset.id, text: t.textContent, x: +t.getAttribute('x'), y: +t.getAttribute('y') }))),
        connections: await page.$$eval('#layer-connections .connection', ls => ls.map(l => l.dataset.id)),
        presence: await page.$$eval('#presence li', ls => ls.map(l => l.textContent)),
        history: await page.textContent('#history'),
        microcosms: await page.$$eval('tr.microcosm', rs => rs.map(r => [...r.children].map(td => td.textContent)))
      })
    } else if (cmd === 'export') {
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 20000 }), page.click(`button[data-format="${arg}"]`)])
      const path = await download.path()
      say({ event: 'export', name: download.suggestedFilename(), content: readFileSync(path).toString(arg === 'json' ? 'utf8' : 'base64') })
    } else if (cmd === 'screenshot') {
      await page.screenshot({ path: arg, fullPage: true })
      say({ event: 'screenshot', path: arg })
    } else {
      say({ event: 'error', message: 'unknown command ' + cmd })
    }
  }
} catch (e) {
  say({ event: 'error', message: String(e && e.stack || e), logs })
  process.exitCode = 1
} finally {
  await context.close()
  rmSync(userDataDir, { recursive: true, force: true })
}
