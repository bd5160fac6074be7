// The reference: the real @hocuspocus/server 4.7.0 on loopback with its defaults and no extensions,
// so documents live in memory only (no persistence). Any token is accepted (no onAuthenticate hook).
//   node --expose-gc hocuspocus-ref.mjs [port]     prints "PORT <n>" once listening
// SIGUSR2 runs a full GC (the benchmark asks for one before reading RSS); SIGTERM stops it.
import { Server } from '@hocuspocus/server'

const port = parseInt(process.argv[2] || '0', 10)
const server = new Server({ port, address: '127.0.0.1', quiet: true })
await server.listen()
console.log(`PORT ${server.address.port}`)
process.on('SIGUSR2', () => { if (globalThis.gc) globalThis.gc() })
process.on('SIGTERM', async () => { await server.destroy(); process.exit(0) })
