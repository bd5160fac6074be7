// The reference for the tracker benchmark: bittorrent-tracker 11.2.3's own Server, WebSocket tracker
// only (no HTTP/UDP tracker, no stats page), with its defaults, on loopback.
//   node --expose-gc tracker-ref.mjs [port]     prints "PORT <n>" once listening
// SIGUSR2 runs a full GC (the benchmark asks for one before reading RSS); SIGTERM stops it.
import Server from 'bittorrent-tracker/server' // the server alone (the client side needs a WebRTC engine)

const port = parseInt(process.argv[2] || '0', 10)
const server = new Server({ udp: false, http: false, stats: false, ws: true })
server.on('warning', () => {})
await new Promise(resolve => server.listen(port, '127.0.0.1', resolve))
console.log(`PORT ${server.http.address().port}`)
process.on('SIGUSR2', () => { if (globalThis.gc) globalThis.gc() })
process.on('SIGTERM', () => server.close(() => process.exit(0)))
