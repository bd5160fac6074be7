// automerge-repo 2.5.6 in headless Chromium against a sync server's /automerge: page A creates a document through
// the server, page B (its own repo, empty) finds it and replies, page A sees the reply. Usage:
// node browser-e2e.mjs --url ws://127.0.0.1:PORT/automerge --chromium /usr/bin/chromium --origin http://127.0.0.1:P
// Prints one JSON line {url, note, seenByB, doc}; exits 1 on failure.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { chromium } from "playwright-core";

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, a, i, all) =>
  a.startsWith("--") ? [...pairs, [a.slice(2), all[i + 1]]] : pairs, []));
const here = dirname(fileURLToPath(import.meta.url));
const bundle = await esbuild.build({
  entryPoints: [join(here, "browser-entry.js")], bundle: true, write: false, format: "esm",
  platform: "browser", target: "es2022", logLevel: "silent",
});
const html = '<!doctype html><meta charset="utf-8"><title>automerge-repo e2e</title><script type="module">' +
  bundle.outputFiles[0].text.replace(/<\/script/g, "<\\/script") + "</script>";
const userDataDir = mkdtempSync(join(tmpdir(), "nodenogg-chromium-"));
const server = createServer((req, res) => {
  res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
  res.end(html);
});
await new Promise(r => server.listen(Number(new URL(args.origin).port), "127.0.0.1", r));
const logs = [];
let context;
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: args.chromium, headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--disable-sync"],
  });
  const a = await context.newPage();
  const b = await context.newPage();
  for (const [n, p] of [["A", a], ["B", b]]) {
    p.on("pageerror", e => logs.push(n + " error: " + e.message));
    p.on("console", m => { if (m.type() === "error") logs.push(n + " console: " + m.text()); });
    await p.goto(args.origin + "/");
    await p.waitForFunction(() => window.e2e !== undefined, null, { timeout: 20000 });
  }
  const note = "a note from headless Chromium " + Date.now();
  const url = await a.evaluate(([u, n]) => window.e2e.create(u, n), [args.url, note]);
  const seenByB = await b.evaluate(([u, d]) => window.e2e.findAndReply(u, d, "reply from page B"), [args.url, url]);
  const doc = await a.evaluate(() => window.e2e.awaitReply("reply from page B"));
  console.log(JSON.stringify({ url, note, seenByB, doc }));
} catch (e) {
  console.error("FAIL: " + e.message + "\n" + logs.join("\n"));
  process.exitCode = 1;
} finally {
  if (context) await context.close();
  server.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
