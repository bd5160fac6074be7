/**
 * A WebTorrent tracker (bittorrent-tracker's WebSocket protocol), so trystero and WebTorrent peers
 * find each other through our server: {@link nodenogg.sync.server.tracker.TrackerHandler} (mounted
 * on {@code /announce} by {@code SyncServer}), {@link nodenogg.sync.server.tracker.TrackerServer}
 * (standalone, {@code --tracker-port}), {@link nodenogg.sync.server.tracker.TrackerLimits}. See
 * docs/torrent.md.
 */
package nodenogg.sync.server.tracker;
