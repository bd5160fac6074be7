// Helpers for the automerge-repo 2.5.6 test clients (Node): a repo on one WebSocket URL, waiting helpers.
import { Repo } from "@automerge/automerge-repo";
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket";

export const sleep = ms => new Promise(r => setTimeout(r, ms));

export async function until(what, fn, timeoutMs = 20000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error("timed out waiting for " + what);
    await sleep(25);
  }
}

/** A repo with no storage on `url` (more Repo options in `options`); resolves once the server answered join with peer. */
export async function connect(url, options = {}) {
  const adapter = new WebSocketClientAdapter(url, 1000);
  const repo = new Repo({ ...options, network: [adapter] });
  await until("the server's peer message on " + url, () => repo.peers.length > 0);
  const server = repo.peers[0];
  const storageId = repo.peerMetadataByPeerId[server]?.storageId;
  return { repo, server, storageId, close: () => repo.shutdown() };
}

const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Waits until the server reports holding exactly our heads of `handle` (it syncs its heads back once stored). */
export async function acknowledged(peer, handle, timeoutMs = 20000) {
  await until("the server to acknowledge " + handle.url, () => {
    const info = handle.getSyncInfo(peer.storageId);
    return info && same([...info.lastHeads].sort(), [...handle.heads()].sort());
  }, timeoutMs);
}
