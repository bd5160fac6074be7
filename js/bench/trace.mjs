// Loads an editing trace ({startContent, endContent, txns:[{patches:[[pos, del, ins]]}]}, .json or .json.gz).
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'

export function loadTrace (file, prefix = -1) {
  let buf = readFileSync(file)
  if (file.endsWith('.gz')) buf = gunzipSync(buf)
  const trace = JSON.parse(buf.toString('utf8'))
  if (trace.kind === 'concurrent') {
    throw new Error(`${file} is a concurrent trace; only sequential traces can be replayed`)
  }
  if (prefix >= 0 && prefix < trace.txns.length) {
    trace.txns = trace.txns.slice(0, prefix)
    trace.endContent = spliceAll(trace.startContent, trace.txns) // plain-string oracle for a prefix
  }
  return trace
}

/** Applies the patches to a plain string: the expected text, independent of any CRDT. */
export function spliceAll (start, txns) {
  let s = start
  for (const txn of txns) {
    for (const [pos, del, ins] of txn.patches) s = s.slice(0, pos) + ins + s.slice(pos + del)
  }
  return s
}
