import { RawClient, openAll } from './client.mjs'
const url = process.argv[2]; const n = Number(process.argv[3] ?? 1000)
const specs = Array.from({ length: n }, (_, i) => ({ room: i }))
const clients = await openAll(specs, 50, (s) => new RawClient(url, `room-${s.room}`, 1000 + s.room, { onError: (c, e) => console.error(e.message) }))
await new Promise(r => setTimeout(r, 500))
for (const c of clients) c.insert(`hello from ${c.clientId}|`)
await new Promise(r => setTimeout(r, 2000))
console.log('READY'); 
await new Promise(r => setTimeout(r, Number(process.argv[4] ?? 15000)))
process.exit(0)
