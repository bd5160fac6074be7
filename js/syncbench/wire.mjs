// Lean Hocuspocus wire format (yjs-wire-reference.md §4) and the small slice of the Yjs v1 update
// format the load generator needs: it builds text-insert updates by hand and reads back the strings
// carried in any update a server sends (including updates the server merged from several clients).
// No Y.Doc per client: that keeps 10,000 clients and ~100k received messages/s within one process.

export class Writer {
  constructor (size = 64) { this.buf = Buffer.allocUnsafe(size); this.pos = 0 }
  ensure (n) {
    if (this.pos + n <= this.buf.length) return
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n))
    this.buf.copy(next, 0, 0, this.pos)
    this.buf = next
  }
  byte (b) { this.ensure(1); this.buf[this.pos++] = b; return this }
  uint (n) {
    this.ensure(8)
    while (n > 0x7f) { this.buf[this.pos++] = 0x80 | (n % 128); n = Math.floor(n / 128) }
    this.buf[this.pos++] = n
    return this
  }
  bytes (b) { this.uint(b.length); this.ensure(b.length); b.copy ? b.copy(this.buf, this.pos) : this.buf.set(b, this.pos); this.pos += b.length; return this }
  string (s) { return this.bytes(Buffer.from(s, 'utf8')) }
  done () { return this.buf.subarray(0, this.pos) }
}

export class Reader {
  constructor (buf, pos = 0) { this.buf = buf; this.pos = pos }
  byte () {
    if (this.pos >= this.buf.length) throw new Error('unexpected end of message')
    return this.buf[this.pos++]
  }
  uint () {
    let n = 0; let mult = 1
    for (;;) {
      const b = this.byte()
      n += (b & 0x7f) * mult
      if (b < 0x80) return n
      mult *= 128
      if (mult > 2 ** 53) throw new Error('varuint too long')
    }
  }
  bytes () {
    const len = this.uint()
    if (this.pos + len > this.buf.length) throw new Error('byte string runs past the message')
    const b = this.buf.subarray(this.pos, this.pos + len)
    this.pos += len
    return b
  }
  string () { return this.bytes().toString('utf8') }
}

// Hocuspocus message types
export const SYNC = 0; export const AWARENESS = 1; export const AUTH = 2; export const SYNC_REPLY = 4
export const CLOSE = 7; export const SYNC_STATUS = 8

export function authMessage (doc, token = '') {
  return new Writer().string(doc).uint(AUTH).uint(0).string(token).string('4.8.0').done()
}
export function step1Message (doc) { // empty state vector
  return new Writer().string(doc).uint(SYNC).uint(0).bytes(Buffer.from([0])).done()
}
export function emptyStep2Message (doc) { // update with no structs and an empty delete set
  return new Writer().string(doc).uint(SYNC).uint(1).bytes(Buffer.from([0, 0])).done()
}
/** One awareness entry {clientId, clock, state} as y-protocols encodes it. */
export function awarenessMessage (doc, clientId, clock, stateJson = '{}') {
  const body = new Writer().uint(1).uint(clientId).uint(clock).string(stateJson).done()
  return new Writer().string(doc).uint(1).bytes(body).done()
}
export function updateMessage (doc, update) {
  return new Writer().string(doc).uint(SYNC).uint(2).bytes(update).done()
}

/**
 * One Yjs v1 update holding a single ContentString item of client `client` at `clock`. The first
 * item (clock 0) is inserted into root text `root`; later ones continue the client's own run
 * (origin = its previous character), so concurrent writers never scan each other's items.
 */
export function textInsertUpdate (client, clock, text, root = 't') {
  const w = new Writer(text.length + 32)
  w.uint(1).uint(1).uint(client).uint(clock)
  if (clock === 0) {
    w.byte(4).uint(1).string(root) // no origins: parent given by root name
  } else {
    w.byte(0x80 | 4).uint(client).uint(clock - 1)
  }
  w.string(text)
  w.uint(0) // empty delete set
  return w.done()
}

/** Calls onString(str) for every ContentString item of a v1 update; throws on kinds it cannot skip. */
export function forEachString (update, onString) {
  const r = new Reader(update)
  const clients = r.uint()
  for (let c = 0; c < clients; c++) {
    const structs = r.uint()
    r.uint(); r.uint() // client, clock
    for (let s = 0; s < structs; s++) {
      const info = r.byte()
      const ref = info & 0x1f
      if (ref === 0 || ref === 10) { r.uint(); continue } // GC, Skip
      if (info & 0x80) { r.uint(); r.uint() }
      if (info & 0x40) { r.uint(); r.uint() }
      if ((info & 0xc0) === 0) {
        if (r.uint() === 1) r.string(); else { r.uint(); r.uint() }
        if (info & 0x20) r.string()
      }
      switch (ref) {
        case 1: r.uint(); break // deleted
        case 2: { const n = r.uint(); for (let i = 0; i < n; i++) r.string(); break } // JSON
        case 3: r.bytes(); break // binary
        case 4: onString(r.string()); break
        case 5: r.string(); break // embed
        case 6: r.string(); r.string(); break // format
        case 7: { const t = r.uint(); if (t === 3 || t === 5) r.string(); break } // type
        default: throw new Error(`update holds content kind ${ref}, which the load client does not decode`)
      }
    }
  }
}
