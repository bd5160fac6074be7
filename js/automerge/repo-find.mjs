// A fresh automerge-repo 2.5.6 client finds documents on a sync server and prints their heads and content:
// node repo-find.mjs ws://host:port/automerge url1 url2 ...
import { connect } from "./repo-common.mjs";

const [url, ...urls] = process.argv.slice(2);
const c = await connect(url);
const out = [];
for (const u of urls) {
  try {
    const h = await c.repo.find(u);
    out.push({ url: u, heads: [...h.heads()].sort(), doc: h.doc() });
  } catch (e) {
    out.push({ url: u, error: String(e) });
  }
}
console.log(JSON.stringify(out));
c.close();
setTimeout(() => process.exit(0), 200);
