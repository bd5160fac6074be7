/**
 * The automerge-repo sync service on {@code /automerge}: the network protocol of
 * {@code @automerge/automerge-repo-network-websocket} 2.5.6 (CBOR frames, {@code join}/{@code peer}
 * handshake with protocol version "1", {@code request}, {@code sync}, {@code doc-unavailable},
 * {@code ephemeral} relayed to the document's other peers, {@code remote-subscription-change},
 * {@code remote-heads-changed}, {@code error}), the server a sharing peer that stores every
 * document it is sent. See {@link nodenogg.sync.server.automerge.AutomergeRepoHandler}. Needs the
 * optional {@code automerge-microcosm} module (and its native library); {@code SyncServer} mounts
 * it when both are present.
 */
package nodenogg.sync.server.automerge;
