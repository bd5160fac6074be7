// Bundled by browser-e2e.mjs into the test page: automerge-repo 2.5.6 with its WebSocket client adapter, on the
// automerge wasm inlined as base64 (no wasm loader needed).
import { Repo, initializeBase64Wasm } from "@automerge/automerge-repo/slim";
import { automergeWasmBase64 } from "@automerge/automerge/automerge.wasm.base64";
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket";

const ready = initializeBase64Wasm(automergeWasmBase64);
const same = (a, b) => a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);

async function until(what, fn, ms = 20000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error("timed out waiting for " + what);
    await new Promise(r => setTimeout(r, 25));
  }
}

async function connect(url) {
  await ready;
  const repo = new Repo({ network: [new WebSocketClientAdapter(url, 1000)] });
  await until("the server's peer message", () => repo.peers.length > 0);
  const storageId = repo.peerMetadataByPeerId[repo.peers[0]]?.storageId;
  const acked = h => until("the server to hold " + h.url, () => {
    const info = h.getSyncInfo(storageId);
    return info && same(info.lastHeads, h.heads());
  });
  return { repo, acked };
}

window.e2e = {
  async create(url, note) {
    const { repo, acked } = await connect(url);
    const h = repo.create({ note, from: navigator.userAgent.includes("Headless") ? "headless chromium" : "chromium" });
    await acked(h);
    window.e2eHandle = h;
    return h.url;
  },
  async findAndReply(url, docUrl, reply) {
    const { repo, acked } = await connect(url);
    const h = await repo.find(docUrl);
    const note = h.doc().note;
    h.change(d => { d.reply = reply; });
    await acked(h);
    return note;
  },
  async awaitReply(reply) {
    await until("the reply in page A", () => window.e2eHandle.doc().reply === reply);
    return window.e2eHandle.doc();
  },
};
