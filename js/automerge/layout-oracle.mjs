// Test driver for docs/automerge-layout.md: runs layout.mjs on the real @automerge/automerge (3.5.0 here).
// Usage: node layout-oracle.mjs read|write|edit|merge|docid [microcosmId]; input JSON on stdin, output on stdout.
//   read   {doc}                                   -> readMicrocosm of the saved document (base64)
//   write  {microcosmId, identity, entities[]}     -> {doc} a new document holding those E5 entities
//   edit   {doc, microcosmId, identity, actions[]} -> {doc, changes} after the actions (create|update|delete)
//   merge  {docs[]}                                 -> {doc} all documents merged (A.merge)
//   docid  microcosmId                              -> the automerge-repo document id of the microcosm
import * as A from "@automerge/automerge";
import { stringifyAutomergeUrl } from "@automerge/automerge-repo";
import { readMicrocosm, register, createEntity, updateEntity, deleteEntity, documentIdOf } from "./layout.mjs";

const b64 = u8 => Buffer.from(u8).toString("base64");
const unb64 = s => new Uint8Array(Buffer.from(s, "base64"));

async function stdinJson() {
  const chunks = [];
  for await (const c of process.stdin) chunks.push(c);
  const text = Buffer.concat(chunks).toString("utf8");
  return text.trim() ? JSON.parse(text) : {};
}

const [cmd, arg] = process.argv.slice(2);
if (cmd === "docid") {
  const id = await documentIdOf(arg, bin => stringifyAutomergeUrl(bin).slice("automerge:".length));
  process.stdout.write(id + "\n");
} else {
  const input = await stdinJson();
  let out;
  if (cmd === "read") {
    out = readMicrocosm(A.load(unb64(input.doc)));
  } else if (cmd === "write") {
    const doc = A.change(A.init(), d => {
      register(d, input.microcosmId, input.identity);
      for (const e of input.entities) createEntity(d, e);
    });
    out = { doc: b64(A.save(doc)) };
  } else if (cmd === "edit") {
    let doc = A.load(unb64(input.doc));
    const heads = A.getHeads(doc);
    doc = A.change(doc, d => {
      register(d, input.microcosmId, input.identity);
      for (const a of input.actions) {
        if (a.op === "create") createEntity(d, a.entity);
        else if (a.op === "update") updateEntity(d, a.location, a.changes, a.now);
        else if (a.op === "delete") deleteEntity(d, a.location);
      }
    });
    out = { doc: b64(A.save(doc)), changes: b64(A.saveSince(doc, heads)) };
  } else if (cmd === "merge") {
    let doc = A.init();
    for (const d of input.docs) doc = A.merge(doc, A.load(unb64(d)));
    out = { doc: b64(A.save(doc)) };
  } else {
    throw new Error("unknown command " + cmd);
  }
  process.stdout.write(JSON.stringify(out) + "\n");
}
