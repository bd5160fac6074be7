// The real @hocuspocus/server 4.7.0 on loopback. Usage: node hocuspocus-server.mjs [port]
// Prints "PORT <n>" once listening. Documents live in memory (lost on restart). Any token accepted.
import { Server } from '@hocuspocus/server'

const port = parseInt(process.argv[2] || '0', 10)
const server = new Server({ port, address: '127.0.0.1', quiet: true })
await server.listen()
console.log(`PORT ${server.address.port}`)
process.on('SIGTERM', async () => { await server.destroy(); process.exit(0) })
