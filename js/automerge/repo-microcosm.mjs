// A JS automerge-repo 2.5.6 peer editing a microcosm in the layout of docs/automerge-layout.md (layout.mjs), through
// a sync server, at the same time as a Java AutomergeMicrocosm:
// node repo-microcosm.mjs ws://host:port/automerge microcosmId identity noteLocation expectedEntities expectedHtml
// Finds the microcosm's document (its id derived from the microcosm id), moves the Java note and creates a note of
// its own, then waits until it holds `expectedEntities` entities and the Java note's HTML is `expectedHtml`, and
// prints what readMicrocosm reads.
import { stringifyAutomergeUrl } from "@automerge/automerge-repo";
import { connect, acknowledged, until } from "./repo-common.mjs";
import { readMicrocosm, register, createEntity, updateEntity, documentIdOf } from "./layout.mjs";

const [url, microcosmId, identity, noteLocation, expectedEntities, expectedHtml] = process.argv.slice(2);
const c = await connect(url);
const docId = await documentIdOf(microcosmId, bin => stringifyAutomergeUrl(bin).slice("automerge:".length));
const h = await until("the microcosm document", async () => {
  try {
    return await c.repo.find("automerge:" + docId);
  } catch (e) {
    return null; // not on the server yet
  }
});
await until("the Java note", () => readMicrocosm(h.doc()).entities[noteLocation]);
const now = Date.now();
h.change(d => {
  register(d, microcosmId, identity);
  updateEntity(d, noteLocation, { x: 321, y: 654 }, now);
  createEntity(d, {
    id: "ejsjsjsjsjsjsjsj1", identity_id: identity, version: "1", created: now, lastEdited: now,
    data: { type: "html", x: 5, y: 6, width: 200, height: 100, content: "<p>from automerge-repo</p>" },
  });
});
await until("Java's edits", () => {
  const m = readMicrocosm(h.doc());
  return Object.keys(m.entities).length === Number(expectedEntities)
    && m.entities[noteLocation]?.data.content === expectedHtml;
});
await acknowledged(c, h);
console.log(JSON.stringify(readMicrocosm(h.doc())));
c.close();
setTimeout(() => process.exit(0), 200);
