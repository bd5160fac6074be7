// remote-heads-changed through a sync server, run by the Java tests:
// node repo-remote-heads.mjs ws://host:port/automerge
// Client B keeps its documents in (in-memory) storage, so it has a storage id. Client A, with remote heads gossiping
// on, subscribes to B's storage id and opens a document B also has. B edits it; A is not connected to B, so the only
// way A learns B's heads is a remote-heads-changed message from the server. Prints one JSON summary.
import { Repo } from "@automerge/automerge-repo";
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket";
import { connect, acknowledged, until } from "./repo-common.mjs";

/** The smallest StorageAdapterInterface: chunks in a Map keyed by the joined key. */
class MemoryStorage {
  #chunks = new Map();
  async load(key) { return this.#chunks.get(key.join("/")); }
  async save(key, data) { this.#chunks.set(key.join("/"), data); }
  async remove(key) { this.#chunks.delete(key.join("/")); }
  async loadRange(prefix) {
    const p = prefix.join("/");
    return [...this.#chunks].filter(([k]) => k === p || k.startsWith(p + "/"))
      .map(([k, data]) => ({ key: k.split("/"), data }));
  }
  async removeRange(prefix) {
    for (const { key } of await this.loadRange(prefix)) this.#chunks.delete(key.join("/"));
  }
}

const [url] = process.argv.slice(2);
const gossip = { enableRemoteHeadsGossiping: true };
const a = await connect(url, gossip);
const bRepo = new Repo({ network: [new WebSocketClientAdapter(url, 1000)], storage: new MemoryStorage() });
await until("B's connection", () => bRepo.peers.length > 0);
const b = { repo: bRepo, storageId: bRepo.peerMetadataByPeerId[bRepo.peers[0]]?.storageId };
const bStorageId = await bRepo.storageId();

const handle = a.repo.create({ counter: 0 });
await acknowledged(a, handle);
a.repo.subscribeToRemotes([bStorageId]);
const seen = [];
handle.on("remote-heads", e => { if (e.storageId === bStorageId) seen.push(e.heads); });

const bHandle = await bRepo.find(handle.url);
bHandle.change(d => { d.counter = 1; d.by = "B"; });
await acknowledged(b, bHandle);
const bHeads = [...bHandle.heads()].sort();
await until("A to hear B's heads", () => {
  const info = handle.getSyncInfo(bStorageId);
  return info && JSON.stringify([...info.lastHeads].sort()) === JSON.stringify(bHeads);
});
console.log(JSON.stringify({
  bStorageId,
  bHeads,
  aHeardHeads: [...handle.getSyncInfo(bStorageId).lastHeads].sort(),
  events: seen.length,
  aDoc: handle.doc(),
}));
a.close();
bRepo.shutdown();
setTimeout(() => process.exit(0), 200);
