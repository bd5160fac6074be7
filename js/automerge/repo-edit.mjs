// An automerge-repo 2.5.6 client finds a document, checks it, edits it, waits until the server holds the edit,
// then broadcasts an ephemeral message and stays long enough to receive one:
// node repo-edit.mjs ws://host:port/path automerge:url key value
// Prints {before, after, heard} as JSON.
import { connect, acknowledged, until, sleep } from "./repo-common.mjs";

const [url, docUrl, key, value] = process.argv.slice(2);
const c = await connect(url);
const h = await c.repo.find(docUrl);
const before = h.doc();
const heard = [];
h.on("ephemeral-message", e => heard.push(e.message));
h.change(d => { d[key] = value; });
if (c.storageId) await acknowledged(c, h);
else await sleep(1000);
h.broadcast({ from: "js", key });
await until("an ephemeral message from the other peer", () => heard.length > 0, 15000).catch(() => {});
console.log(JSON.stringify({ before, after: h.doc(), heard }));
c.close();
setTimeout(() => process.exit(0), 200);
