// One raw Hocuspocus client (one WebSocket, one document). See wire.mjs for why it is raw.
import WebSocket from 'ws'
import {
  Reader, SYNC, SYNC_REPLY, AUTH, CLOSE, SYNC_STATUS,
  authMessage, awarenessMessage, step1Message, emptyStep2Message, updateMessage, textInsertUpdate, forEachString
} from './wire.mjs'

export class RawClient {
  /**
   * @param {string} url ws URL (ours: .../sync; Hocuspocus: any path)
   * @param {string} doc document name
   * @param {number} clientId Yjs client id of this writer
   * @param {object} hooks { onString(str, client), onSynced(client, step2Bytes), onError(client, err), decodeStep2 }
   */
  constructor (url, doc, clientId, hooks = {}) {
    this.url = url; this.doc = doc; this.clientId = clientId; this.hooks = hooks
    this.clock = 0; this.synced = false; this.closed = false; this.acks = 0; this.acksRefused = 0
    this.connectStart = 0; this.syncedAt = 0; this.step2Bytes = 0
    this.updateMessages = 0 // Sync Update messages received (sub-type 2)
    this.unacked = [] // send times of inserts not yet acknowledged (SyncStatus), oldest first
    this.ackLatencies = null // when an array, acknowledgement latencies (ms) are recorded into it
  }

  open () {
    this.connectStart = performance.now()
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.url, { perMessageDeflate: false, handshakeTimeout: 30000 })
      this.ws = ws
      this.syncedPromise = new Promise((res, rej) => { this._synced = res; this._syncFail = rej })
      this.syncedPromise.catch(() => {})
      ws.on('open', () => {
        ws.send(authMessage(this.doc))
        ws.send(step1Message(this.doc))
        resolve(this)
      })
      ws.on('message', (data) => {
        try { this._onMessage(data) } catch (e) { this._fail(e) }
      })
      ws.on('error', (e) => { reject(e); this._fail(e) })
      ws.on('close', (code, reason) => {
        const was = this.closed
        this.closed = true
        if (!was && !this.closing) this._fail(new Error(`server closed ${this.doc} with ${code} ${reason}`))
      })
    })
  }

  _fail (e) {
    this._syncFail?.(e)
    if (this.hooks.onError) this.hooks.onError(this, e)
  }

  _onMessage (buf) {
    if (buf.length === 1 && buf[0] === 9) { this.ws.send(Buffer.from([10])); return } // ping
    const r = new Reader(buf)
    r.string() // address
    const type = r.uint()
    if (type === SYNC || type === SYNC_REPLY) {
      const sub = r.uint()
      if (sub === 0) {
        if (type === SYNC) this.ws.send(emptyStep2Message(this.doc))
      } else if (sub === 1) {
        const update = r.bytes()
        this.step2Bytes = update.length
        if (this.hooks.decodeStep2 !== false && this.hooks.onString) forEachString(update, s => this.hooks.onString(s, this))
        if (!this.synced) {
          this.synced = true; this.syncedAt = performance.now()
          this._synced(this)
        }
      } else if (sub === 2) {
        this.updateMessages++
        const update = r.bytes()
        if (this.hooks.onString) forEachString(update, s => this.hooks.onString(s, this))
      }
    } else if (type === SYNC_STATUS) {
      if (r.uint() === 1) this.acks++; else this.acksRefused++
      const sentAt = this.unacked.shift()
      if (sentAt !== undefined && this.ackLatencies) this.ackLatencies.push(performance.now() - sentAt)
    } else if (type === AUTH) {
      const sub = r.uint()
      if (sub === 1) throw new Error(`permission denied for ${this.doc}: ${r.string()}`)
    } else if (type === CLOSE) {
      throw new Error(`server closed document ${this.doc}`)
    }
  }

  /** Sends this client's awareness state again with the next clock (what a provider does every 15 s). */
  renewAwareness () {
    this.awarenessClock = (this.awarenessClock ?? -1) + 1
    if (!this.closed) this.ws.send(awarenessMessage(this.doc, this.clientId, this.awarenessClock))
  }

  /** Sends one text insert carrying `text`; returns its byte size. */
  insert (text) {
    const msg = updateMessage(this.doc, textInsertUpdate(this.clientId, this.clock, text))
    this.clock += text.length
    if (this.ackLatencies) this.unacked.push(performance.now())
    this.ws.send(msg)
    return msg.length
  }

  close () {
    this.closing = true
    if (this.ws && !this.closed) this.ws.terminate()
    this.closed = true
  }
}

/** Opens `count` clients with at most `parallel` handshakes in flight; resolves when all synced. */
export async function openAll (specs, parallel, make) {
  const clients = new Array(specs.length)
  let next = 0
  async function worker () {
    while (next < specs.length) {
      const i = next++
      const c = make(specs[i], i)
      clients[i] = c
      await c.open()
      await c.syncedPromise
    }
  }
  await Promise.all(Array.from({ length: Math.min(parallel, specs.length) }, worker))
  return clients
}
