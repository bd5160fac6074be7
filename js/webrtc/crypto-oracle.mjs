// y-webrtc 10.3.0's own room crypto (node_modules/y-webrtc/src/crypto.js, WebCrypto as in a browser)
// as an oracle for the Java implementation. Reads one JSON object on stdin:
//   {password, room, sealed: [base64...], sealedJson: [base64...], plain: [base64...], values: [any...]}
// and prints one JSON line:
//   {rawKey: base64 of the derived AES key, opened: [base64|null...], openedJson: [any|null...],
//    nodeSealed: [base64...], nodeSealedJson: [base64...]}
// Entries that do not decrypt come back as null (as y-webrtc drops them).
import { webcrypto } from 'node:crypto'

if (!globalThis.crypto) globalThis.crypto = webcrypto
const cryptoutils = await import(new URL('../node_modules/y-webrtc/src/crypto.js', import.meta.url))

const input = JSON.parse(await new Promise(resolve => {
  let text = ''
  process.stdin.on('data', d => { text += d })
  process.stdin.on('end', () => resolve(text))
}))
const b64 = u8 => Buffer.from(u8).toString('base64')
const bytes = s => new Uint8Array(Buffer.from(s, 'base64'))
const key = await cryptoutils.deriveKey(input.password, input.room)
const rawKey = b64(new Uint8Array(await crypto.subtle.exportKey('raw', key)))
const opened = []
for (const s of input.sealed || []) opened.push(await cryptoutils.decrypt(bytes(s), key).then(b64, () => null))
const openedJson = []
for (const s of input.sealedJson || []) openedJson.push(await cryptoutils.decryptJson(bytes(s), key).catch(() => null))
const nodeSealed = []
for (const p of input.plain || []) nodeSealed.push(b64(await cryptoutils.encrypt(bytes(p), key)))
const nodeSealedJson = []
for (const v of input.values || []) nodeSealedJson.push(b64(await cryptoutils.encryptJson(v, key)))
process.stdout.write(JSON.stringify({ rawKey, opened, openedJson, nodeSealed, nodeSealedJson }) + '\n')
