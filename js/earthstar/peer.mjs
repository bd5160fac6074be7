// A real earthstar 10.2.2 peer (memory drivers) driven by JSON lines on stdin, answering JSON lines on
// stdout. Test oracle only (LGPL-3.0, never shipped).
//   node peer.mjs client SHARE_JSON [AUTHOR_JSON]
//   node peer.mjs server SHARE_JSON PORT [AUTHOR_JSON]   (earthstar Server: ExtensionKnownShares + ExtensionSyncWeb)
// SHARE_JSON: {"shareAddress","secret"}; AUTHOR_JSON: {"address","secret"} (generated when absent).
// Commands: {"cmd":"write","path","text","deleteAfter"?,"attachment"? (base64),"author"? (keypair)}
//           {"cmd":"seed","n","prefix"}  {"cmd":"dump"}  {"cmd":"sync","url","continuous"?}  {"cmd":"exit"}
//           {"cmd":"ingest","doc"} (a raw document, as a third party would send it)
import * as E from "earthstar";
import * as N from "earthstar/node";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import * as readline from "node:readline";

const [role, shareJson, ...rest] = process.argv.slice(2);
const share = JSON.parse(shareJson);
let port = 0;
let authorJson;
if (role === "server") {
  port = parseInt(rest[0], 10);
  authorJson = rest[1];
} else {
  authorJson = rest[0];
}
const author = authorJson ? JSON.parse(authorJson) : await E.Crypto.generateAuthorKeypair("jsjs");
const out = (o) => process.stdout.write(JSON.stringify(o) + "\n");

let replica;
let peer;
let server;
if (role === "server") {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "es-known-"));
  const known = path.join(dir, "known_shares.json");
  fs.writeFileSync(known, JSON.stringify([share.shareAddress]));
  const httpServer = http.createServer();
  server = new N.Server([
    new N.ExtensionKnownShares({
      knownSharesPath: known,
      onCreateReplica: (address) => {
        replica = new E.Replica({ driver: new E.ReplicaDriverMemory(address), shareSecret: share.secret });
        return replica;
      },
    }),
    new N.ExtensionSyncWeb({ server: httpServer }),
  ], { server: httpServer, port });
  await server.core.isReady;
  await new Promise((res) => httpServer.listening ? res() : httpServer.on("listening", res));
  peer = server.core.peer;
  out({ ready: true, port: httpServer.address().port, author: author.address });
} else {
  replica = new E.Replica({ driver: new E.ReplicaDriverMemory(share.shareAddress), shareSecret: share.secret });
  peer = new E.Peer();
  await peer.addReplica(replica);
  out({ ready: true, author: author.address });
}

async function dump() {
  const docs = await replica.getAllDocs();
  const res = [];
  for (const doc of docs) {
    const cleaned = E.FormatEs5.removeExtraFields(doc).doc;
    const valid = await E.FormatEs5.checkDocumentIsValid(cleaned);
    const entry = { path: doc.path, author: doc.author, timestamp: doc.timestamp, signature: doc.signature,
      text: doc.text, valid: valid === true ? true : String(valid.message) };
    if (doc.deleteAfter) entry.deleteAfter = doc.deleteAfter;
    if (doc.attachmentHash) {
      entry.attachmentHash = doc.attachmentHash;
      const att = await replica.getAttachment(doc);
      if (att && !E.isErr(att)) {
        const bytes = await att.bytes();
        entry.attachmentBytesHash = await E.Crypto.sha256base32(bytes);
        entry.attachmentBytes = bytes.length;
      }
    }
    res.push(entry);
  }
  return res;
}

async function write(c) {
  const keypair = c.author || author;
  const input = { path: c.path, text: c.text };
  if (c.deleteAfter) input.deleteAfter = c.deleteAfter;
  if (c.attachment) input.attachment = new Uint8Array(Buffer.from(c.attachment, "base64"));
  const r = await replica.set(keypair, input);
  if (r.kind !== "success") throw new Error("write failed: " + (r.err ? r.err.message : r.reason));
  return E.FormatEs5.removeExtraFields(r.doc).doc;
}

// The microcosm layout of docs/earthstar-layout.md, written and read by JS code of its own.
const ROOT = "/microcosm/v1/";
const identityIdOf = (address) => "@" + address.split(".")[1].slice(1, 17);
const base = (address) => `${ROOT}~${address}/`;

async function writeNote(c) {
  const a = author.address;
  const me = identityIdOf(a);
  if (!(await replica.getLatestDocAtPath(base(a) + "identity"))) {
    await write({ path: base(a) + "identity", text: JSON.stringify({ id: me }) });
  }
  const now = Date.now();
  await write({ path: `${base(a)}${c.id}/entity`, text: JSON.stringify({ id: c.id, identity_id: me, created: now,
    version: "1", data: { type: "html" } }) });
  await write({ path: `${base(a)}${c.id}/position`, text: JSON.stringify({ x: c.x, y: c.y, width: 200, height: 200 }) });
  await write({ path: `${base(a)}${c.id}/html`, text: JSON.stringify({ content: c.content }) });
}

async function microcosm() {
  const docs = await replica.queryDocs({ historyMode: "all", filter: { pathStartsWith: ROOT } });
  const parts = {};
  for (const d of docs) {
    const m = d.path.match(/^\/microcosm\/v1\/~(@[a-z0-9]{4}\.b[a-z2-7]{52})\/(e[a-z0-9]{16})\/(entity|position|html|html\.html)$/);
    if (!m || m[1] !== d.author) continue;
    const key = `${m[1]} ${m[2]}`;
    (parts[key] ||= {})[m[3]] = d;
  }
  const out = [];
  for (const [key, p] of Object.entries(parts)) {
    if (!p.entity || p.entity.text === "") continue;
    const meta = JSON.parse(p.entity.text);
    const data = { ...meta.data };
    if (p.position && p.position.text) Object.assign(data, JSON.parse(p.position.text));
    if (p.html && p.html.text) {
      const h = JSON.parse(p.html.text);
      if (typeof h.content === "string") data.content = h.content;
      else {
        const att = await replica.getAttachment(p["html.html"]);
        data.content = new TextDecoder().decode(await att.bytes());
      }
    }
    out.push({ identityId: identityIdOf(key.split(" ")[0]), id: meta.id, data });
  }
  out.sort((x, y) => (x.identityId + x.id).localeCompare(y.identityId + y.id));
  return out;
}

const rl = readline.createInterface({ input: process.stdin });
for await (const line of rl) {
  if (!line.trim()) continue;
  const c = JSON.parse(line);
  try {
    switch (c.cmd) {
      case "write": out({ doc: await write(c) }); break;
      case "seed": {
        for (let i = 0; i < c.n; i++) await write({ path: `${c.prefix}${i}`, text: `js text ${i}` });
        out({ seeded: c.n });
        break;
      }
      case "ingest": {
        const r = await replica.ingest(E.FormatEs5, c.doc, "test");
        out({ kind: r.kind, reason: r.reason || null });
        break;
      }
      case "dump": out({ docs: await dump() }); break;
      case "note": await writeNote(c); out({ written: c.id, identityId: identityIdOf(author.address) }); break;
      case "move": {
        const a = author.address;
        await write({ path: `${base(a)}${c.id}/position`, text: JSON.stringify({ x: c.x, y: c.y, width: 200, height: 200 }) });
        out({ moved: c.id });
        break;
      }
      case "microcosm": out({ entities: await microcosm() }); break;
      case "sync": {
        const syncer = peer.sync(c.url, !!c.continuous);
        if (c.continuous) {
          out({ started: true, syncerId: syncer.id });
          syncer.isDone().catch((e) => out({ syncEnded: String(e) }));
        } else {
          const started = Date.now();
          try {
            await syncer.isDone();
            out({ synced: true, millis: Date.now() - started, syncerId: syncer.id });
          } catch (e) {
            out({ synced: false, error: String(e) });
          }
        }
        break;
      }
      case "exit": process.exit(0);
      default: out({ error: "unknown command " + c.cmd });
    }
  } catch (e) {
    out({ error: String(e && e.stack || e) });
  }
}
process.exit(0);
