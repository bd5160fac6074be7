// The real @hocuspocus/server 4.7.0 with @hocuspocus/extension-redis 4.7.0, as one instance of a cluster.
// Usage: node redis-hocuspocus.mjs REDIS_PORT IDENTIFIER [PORT]. Prints "PORT <n>" once listening.
// Documents live in memory here (no Database extension): the Node instance shares them over Redis.
import { Server } from '@hocuspocus/server'
import { Redis } from '@hocuspocus/extension-redis'

const redisPort = parseInt(process.argv[2], 10)
const identifier = process.argv[3]
const port = parseInt(process.argv[4] || '0', 10)
const server = new Server({
  port, address: '127.0.0.1', quiet: true,
  extensions: [new Redis({ host: '127.0.0.1', port: redisPort, identifier })]
})
await server.listen()
console.log(`PORT ${server.address.port}`)
process.on('SIGTERM', async () => { await server.destroy(); process.exit(0) })
