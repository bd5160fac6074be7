// Value helpers shared by the oracle: a tagged JSON form that survives the trip to Java
// (JSON alone loses -0, NaN, bigint, undefined, Uint8Array and the identity of nested Y types),
// and the conversion back from that form into live JS values for scripted operations.
import * as Y from 'yjs'

export const b64 = (u8) => Buffer.from(u8).toString('base64')
export const unb64 = (s) => new Uint8Array(Buffer.from(s, 'base64'))

/** Tagged form of any value read from a Yjs document (nested shared types included). */
export const typed = (v) => {
  if (v === undefined) return { $undef: 1 }
  if (v === null) return null
  switch (typeof v) {
    case 'number':
      if (Object.is(v, -0) || !Number.isFinite(v)) return { $num: Object.is(v, -0) ? '-0' : String(v) }
      return v
    case 'bigint': return { $big: v.toString() }
    case 'string':
    case 'boolean': return v
  }
  if (v instanceof Uint8Array) return { $bin: b64(v) }
  if (Array.isArray(v)) return v.map(typed)
  if (v instanceof Y.Text) return { $ytext: v.toDelta().map(typedDeltaOp) }
  if (v instanceof Y.Array) return { $yarray: v.toArray().map(typed) }
  if (v instanceof Y.Map) {
    const o = {}
    for (const k of [...v.keys()].sort()) o[k] = typed(v.get(k))
    return { $ymap: o }
  }
  if (v instanceof Y.AbstractType) return { $ytype: v.constructor.name }
  if (v instanceof Y.Doc) return { $ydoc: v.guid }
  const o = {}
  for (const k of Object.keys(v)) o[k] = typed(v[k])
  return o
}

export const typedDeltaOp = (op) => {
  const out = {}
  for (const k of Object.keys(op)) out[k] = typed(op[k])
  return out
}

/** Inverse of typed() for plain values; {$type: 'map'|'array'|'text'} creates a fresh shared type. */
export const untyped = (v) => {
  if (v === null || typeof v !== 'object') return v
  if (Array.isArray(v)) return v.map(untyped)
  if ('$undef' in v) return undefined
  if ('$num' in v) return Number(v.$num === '-0' ? '-0' : v.$num)
  if ('$big' in v) return BigInt(v.$big)
  if ('$bin' in v) return unb64(v.$bin)
  if ('$type' in v) {
    if (v.$type === 'map') return new Y.Map()
    if (v.$type === 'array') return new Y.Array()
    if (v.$type === 'text') return new Y.Text()
    throw new Error('unknown $type ' + v.$type)
  }
  const o = {}
  for (const k of Object.keys(v)) o[k] = untyped(v[k])
  return o
}

/** Everything a test compares about one document. */
export const observe = (doc, roots) => {
  const json = {}
  const typedRoots = {}
  const deltas = {}
  for (const [name, kind] of roots) {
    const t = getRoot(doc, name, kind)
    try {
      json[name] = JSON.stringify(kind === 'text' ? t.toString() : t.toJSON())
    } catch (e) {
      json[name] = null // e.g. a bigint, which JSON.stringify refuses
    }
    typedRoots[name] = typed(t)
    if (kind === 'text') deltas[name] = t.toDelta().map(typedDeltaOp)
  }
  const store = doc.store
  return {
    json,
    typed: typedRoots,
    deltas,
    sv: b64(Y.encodeStateVector(doc)),
    update: b64(Y.encodeStateAsUpdate(doc)),
    updateV2: b64(Y.encodeStateAsUpdateV2(doc)),
    pending: store.pendingStructs !== null || store.pendingDs !== null
  }
}

export const getRoot = (doc, name, kind) => {
  switch (kind) {
    case 'map': return doc.getMap(name)
    case 'array': return doc.getArray(name)
    case 'text': return doc.getText(name)
    case 'xml': return doc.getXmlFragment(name)
    default: throw new Error('unknown root kind ' + kind)
  }
}

export const DEFAULT_ROOTS = [['map', 'map'], ['array', 'array'], ['text', 'text']]
