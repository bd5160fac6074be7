// The automerge-repo scenario against a sync server (ours on /automerge, or the reference one), run by the Java
// tests: node repo-scenario.mjs ws://host:port/automerge [documents] [changesPerDocument]
// Client A creates documents through the server; client B with an empty repo finds them and edits; A sees B's
// edit; an unknown URL is unavailable; ephemeral messages reach the other peer. Prints one JSON summary: the
// documents with the heads the server acknowledged and their content, for a later check after a restart.
import { generateAutomergeUrl } from "@automerge/automerge-repo";
import { connect, acknowledged, until } from "./repo-common.mjs";

const [url, docsArg = "3", changesArg = "20"] = process.argv.slice(2);
const a = await connect(url);
const b = await connect(url);
const out = { serverPeer: a.server, storageId: a.storageId, documents: [] };

const main = a.repo.create({ title: "created by A", items: [] });
await acknowledged(a, main);
const bMain = await b.repo.find(main.url);
out.bFound = bMain.doc().title;
bMain.change(d => { d.editedBy = "B"; d.items.push("from B"); });
await until("A to see B's edit", () => main.doc().editedBy === "B");
out.aSawB = main.doc().items.join(",");
await acknowledged(b, bMain);

try {
  await b.repo.find(generateAutomergeUrl());
  out.unknown = "found?!";
} catch (e) {
  out.unknown = /unavailable/i.test(String(e)) ? "unavailable" : String(e);
}

const got = [];
main.on("ephemeral-message", e => got.push(e.message));
bMain.broadcast({ hello: "from B", n: 1 });
await until("A to receive B's ephemeral message", () => got.length > 0);
out.ephemeral = got[0];

for (let i = 0; i < Number(docsArg); i++) {
  const h = a.repo.create({ n: i, log: [] });
  for (let c = 0; c < Number(changesArg); c++) h.change(d => { d.log.push(`change ${c}`); d.last = c; });
  await acknowledged(a, h);
  out.documents.push({ url: h.url, heads: [...h.heads()].sort(), doc: h.doc() });
}
out.documents.push({ url: main.url, heads: [...main.heads()].sort(), doc: main.doc() });
console.log(JSON.stringify(out));
a.close();
b.close();
setTimeout(() => process.exit(0), 200);
