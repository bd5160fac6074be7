// The real @y/websocket-server 0.1.1 on loopback. Usage: node ywebsocket-server.mjs [port]
// Prints "PORT <n>" once listening. Documents live in memory (lost on restart).
import http from 'node:http'
import { WebSocketServer } from 'ws'
import { setupWSConnection } from '@y/websocket-server/utils'

const port = parseInt(process.argv[2] || '0', 10)
const wss = new WebSocketServer({ noServer: true })
wss.on('connection', setupWSConnection)
const server = http.createServer((_req, res) => { res.writeHead(200); res.end('okay') })
server.on('upgrade', (req, socket, head) => {
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
})
server.listen(port, '127.0.0.1', () => console.log(`PORT ${server.address().port}`))
process.on('SIGTERM', () => process.exit(0))
