// Seeded random multi-client sessions on real Yjs. The generator looks at the live JS docs to pick
// valid indices, records every operation as a script step (see script.mjs) and every update emitted,
// so that Java can replay the very same operations with the same client ids.
import * as Y from 'yjs'
import { ScriptRun, applyOp, applyUpdates } from './script.mjs'
import { DEFAULT_ROOTS } from './values.mjs'

/** mulberry32: small, fast, good enough for test generation. */
export const rng = (seed) => {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6D2B79F5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    int: (n) => Math.floor(next() * n),
    bool: (p = 0.5) => next() < p,
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    uint32: () => Math.floor(next() * 4294967296) >>> 0
  }
}

const CHARS = ['a', 'b', 'c', 'Z', ' ', 'é', '😀', '𝄞', '\n', '"', '\\', '\u0000', '\ud800', '\udc00', 'ß', '中']
const NUMBERS = [0, 1, -1, 7, 42, 2147483647, 2147483648, -2147483648, -2147483649, -0, 0.5, 0.1, 1024.5,
  2 ** 40, 2 ** 53, -(2 ** 53), 1e21, 1.5e-7, 123456.789, NaN, Infinity, -Infinity, 3.4028234663852886e38]
const BIGINTS = [0n, 5n, -7n, 2n ** 63n - 1n, -(2n ** 63n)]
const KEYS = ['a', 'b', 'c', 'key', '10', '2', '0', '', 'é', '😀', 'x y']
const ATTRS = [{ bold: true }, { italic: true }, { bold: null }, { color: '#ff0000' }, { size: 12 },
  { link: { href: 'https://x' } }, { bold: true, italic: true }, { italic: null }]

let chars = CHARS
const SAFE_CHARS = CHARS.filter(c => !/^[\ud800-\udfff]$/.test(c))

export const randString = (r, max = 6) => {
  let s = ''
  const n = r.int(max + 1)
  for (let i = 0; i < n; i++) s += r.pick(chars)
  return s
}

/**
 * A random value in tagged form (values.mjs). `where` is 'map' (top-level map value), 'array'
 * (top-level array element) or 'any' (inside a JSON object/array).
 */
const randValue = (r, where, depth) => {
  const k = r.int(where === 'any' ? 9 : 11)
  switch (k) {
    case 0: return r.int(100) - 50
    case 1: {
      const n = r.pick(NUMBERS)
      return Object.is(n, -0) || !Number.isFinite(n) ? { $num: Object.is(n, -0) ? '-0' : String(n) } : n
    }
    case 2: return randString(r)
    case 3: return r.pick([true, false, null])
    case 4: return where === 'array' ? null : (r.bool() ? { $big: r.pick(BIGINTS).toString() } : { $undef: 1 })
    case 5: return { $bin: Buffer.from(Array.from({ length: r.int(4) }, () => r.int(256))).toString('base64') }
    case 6: {
      if (depth > 2) return 1
      const o = {}
      const n = r.int(4)
      for (let i = 0; i < n; i++) o[r.pick(KEYS)] = randValue(r, 'any', depth + 1)
      return o
    }
    case 7: case 8: {
      if (depth > 2) return 'deep'
      return Array.from({ length: r.int(4) }, () => randValue(r, 'any', depth + 1))
    }
    default: return depth > 2 ? 0 : { $type: r.pick(['map', 'array', 'text']) }
  }
}

/** Every shared type reachable from the roots, with its path. */
const targets = (doc, roots) => {
  const out = []
  const walk = (t, path, depth) => {
    out.push({ t, path })
    if (depth > 3) return
    if (t instanceof Y.Map) {
      for (const [k, v] of t.entries()) if (v instanceof Y.AbstractType) walk(v, { ...path, steps: [...path.steps, k] }, depth + 1)
    } else if (t instanceof Y.Array) {
      t.toArray().forEach((v, i) => { if (v instanceof Y.AbstractType) walk(v, { ...path, steps: [...path.steps, i] }, depth + 1) })
    }
  }
  for (const [root, kind] of roots) {
    const t = kind === 'map' ? doc.getMap(root) : kind === 'array' ? doc.getArray(root) : doc.getText(root)
    walk(t, { root, kind, steps: [] }, 0)
  }
  return out
}

export const randOp = (r, doc, roots) => {
  const { t, path } = r.pick(targets(doc, roots))
  if (t instanceof Y.Map) {
    const keys = [...t.keys()]
    if (keys.length > 0 && r.bool(0.25)) return { t: 'mapDel', path, key: r.pick(keys) }
    return { t: 'mapSet', path, key: r.pick(KEYS), value: randValue(r, 'map', path.steps.length) }
  }
  if (t instanceof Y.Array) {
    const len = t.length
    if (len > 0 && r.bool(0.3)) {
      const index = r.int(len)
      return { t: 'arrDel', path, index, len: 1 + r.int(Math.min(3, len - index)) }
    }
    const values = Array.from({ length: 1 + r.int(3) }, () => randValue(r, 'array', path.steps.length))
    if (r.bool(0.2)) return { t: 'arrPush', path, values }
    return { t: 'arrIns', path, index: r.int(len + 1), values }
  }
  // Y.Text
  const len = t.length
  const x = r.next()
  if (len > 0 && x < 0.25) {
    const index = r.int(len)
    return { t: 'txtDel', path, index, len: 1 + r.int(Math.min(4, len - index)) }
  }
  if (len > 0 && x < 0.4) {
    const index = r.int(len)
    return { t: 'txtFmt', path, index, len: 1 + r.int(len - index), attrs: r.pick(ATTRS) }
  }
  if (x < 0.48) {
    return { t: 'txtEmbed', path, index: r.int(len + 1), embed: r.bool() ? { image: randString(r, 3) } : { n: r.int(9) }, attrs: r.bool(0.3) ? r.pick(ATTRS) : undefined }
  }
  return { t: 'txtIns', path, index: r.int(len + 1), text: randString(r) || 'q', attrs: r.bool(0.3) ? r.pick(ATTRS) : undefined }
}

/**
 * options: seed, clients (2..), steps, gc (default true), syncRate (0..1), roots, loneSurrogates.
 * Ends with a full sync, so every client holds every update; `converged` tells whether the JS docs agree.
 */
export const generateSession = (o) => {
  const r = rng(o.seed)
  // Lone surrogates make real Yjs peers diverge (the author keeps them, peers get U+FFFD), so they are opt-in.
  chars = o.loneSurrogates ? CHARS : SAFE_CHARS
  const n = o.clients || 3
  const roots = o.roots || DEFAULT_ROOTS
  const ids = new Set()
  while (ids.size < n) ids.add(r.bool(0.1) ? r.int(1000) : r.uint32())
  const clients = [...ids].map(clientId => ({ clientId, gc: o.gc !== false }))
  const run = new ScriptRun(clients, roots)
  const steps = []
  const have = clients.map(() => new Set())
  const syncRate = o.syncRate ?? 0.25
  const stepCount = o.steps ?? 40
  for (let s = 0; s < stepCount; s++) {
    if (run.local.length > 0 && r.bool(syncRate)) {
      const to = r.int(n)
      const missing = run.local.map((_, i) => i).filter(i => !have[to].has(i))
      const subset = missing.filter(() => r.bool(0.6))
      if (r.bool(0.3)) subset.reverse()
      const step = { to, updates: subset }
      run.step(step); steps.push(step)
      subset.forEach(i => have[to].add(i))
    } else {
      const c = r.int(n)
      const doc = run.docs[c]
      const ops = []
      const before = run.local.length
      const count = 1 + (r.bool(0.3) ? r.int(3) : 0)
      doc.transact(() => {
        for (let i = 0; i < count; i++) {
          const op = randOp(r, doc, roots)
          applyOp(doc, op)
          ops.push(op)
        }
      }, 'local')
      run.stepLocal.push(run.local.length > before ? before : -1)
      steps.push({ c, ops })
      for (let i = before; i < run.local.length; i++) have[c].add(i)
    }
  }
  // Deliver what is still missing, then state-sync through client 0 (twice: text-format cleanup on
  // receipt can delete items, and those deletions only travel in state syncs).
  for (let to = 0; to < n; to++) {
    const missing = run.local.map((_, i) => i).filter(i => !have[to].has(i))
    if (missing.length === 0) continue
    const step = { to, updates: missing }
    run.step(step); steps.push(step)
    missing.forEach(i => have[to].add(i))
  }
  for (let round = 0; round < 2; round++) {
    for (let c = 1; c < n; c++) { const st = { to: 0, from: c }; run.step(st); steps.push(st) }
    for (let c = 1; c < n; c++) { const st = { to: c, from: 0 }; run.step(st); steps.push(st) }
  }
  const result = run.result()
  // A doc keeps lone surrogates it created itself, while peers receive U+FFFD (TextEncoder), so
  // convergence is judged on what each doc's full state decodes to in a fresh doc.
  const fresh = result.docs.map(d => JSON.stringify(applyUpdates({ updates: [d.update], gc: o.gc, roots }).typed))
  const converged = result.docs.every(d => d.sv === result.docs[0].sv && !d.pending) && fresh.every(f => f === fresh[0])
  return { script: { clients, roots, steps }, result, converged }
}
