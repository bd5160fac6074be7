// Long-lived Yjs oracle for the Java test suite. Protocol: JSON lines.
//   request:  {"id": n, "cmd": "...", ...args}
//   response: {"id": n, "ok": true, "result": ...} or {"id": n, "ok": false, "error": "..."}
// Commands:
//   ping                                   -> {yjs: version}
//   session {seed, clients, steps, gc, syncRate, roots}
//                                          -> {script, result, converged}   (see session.mjs / script.mjs)
//   formatSession {seed, gc, steps?}    -> formatting-heavy session, delivery orders, snapshots (format-session.mjs)
//   script  {clients, roots, steps}        -> result of running a given script
//   apply   {updates: [b64], gc, roots, v2, clientId, declare}
//                                          -> observables of a fresh doc after applying the updates in order
//                                             (roots declared first, or after the updates with declare: 'after')
//   merge {updates, v2} | diff {update, sv, v2} | svFromUpdate {update, v2} | convert {update, to}
//   decode {update, v2}                    -> Y.decodeUpdate(V2) rendered in tagged JSON
import { createInterface } from 'node:readline'
import { readFileSync } from 'node:fs'
import * as Y from 'yjs'
import { b64, unb64, typed } from './values.mjs'
import { runScript, applyUpdates } from './script.mjs'
import { generateSession } from './session.mjs'
import { formatSession } from './format-session.mjs'

const yjsVersion = (() => {
  try {
    return JSON.parse(readFileSync(new URL('../node_modules/yjs/package.json', import.meta.url))).version
  } catch (e) { return 'unknown' }
})()

const structToJson = (s) => {
  const o = { type: s.constructor.name, client: s.id.client, clock: s.id.clock, length: s.length }
  if (s.origin) o.origin = [s.origin.client, s.origin.clock]
  if (s.rightOrigin) o.rightOrigin = [s.rightOrigin.client, s.rightOrigin.clock]
  if (s.parent !== undefined && s.parent !== null) o.parent = typeof s.parent === 'string' ? s.parent : [s.parent.client, s.parent.clock]
  if (s.parentSub != null) o.parentSub = s.parentSub
  if (s.content) {
    o.content = s.content.constructor.name
    try { o.value = typed(s.content.getContent()) } catch (e) { }
  }
  return o
}

const handlers = {
  ping: () => ({ yjs: yjsVersion }),
  session: (a) => generateSession(a),
  formatSession: (a) => formatSession(a),
  script: (a) => runScript(a),
  apply: (a) => applyUpdates(a),
  merge: (a) => b64((a.v2 ? Y.mergeUpdatesV2 : Y.mergeUpdates)(a.updates.map(unb64))),
  diff: (a) => b64((a.v2 ? Y.diffUpdateV2 : Y.diffUpdate)(unb64(a.update), unb64(a.sv))),
  svFromUpdate: (a) => b64((a.v2 ? Y.encodeStateVectorFromUpdateV2 : Y.encodeStateVectorFromUpdate)(unb64(a.update))),
  convert: (a) => b64((a.to === 'v2' ? Y.convertUpdateFormatV1ToV2 : Y.convertUpdateFormatV2ToV1)(unb64(a.update))),
  decode: (a) => {
    const d = (a.v2 ? Y.decodeUpdateV2 : Y.decodeUpdate)(unb64(a.update))
    const ds = []
    d.ds.clients.forEach((ranges, client) => ds.push({ client, ranges: ranges.map(r => [r.clock, r.len]) }))
    return { structs: d.structs.map(structToJson), ds }
  }
}

const rl = createInterface({ input: process.stdin, crlfDelay: Infinity })
rl.on('line', (line) => {
  if (line.trim() === '') return
  let req
  try { req = JSON.parse(line) } catch (e) {
    process.stdout.write(JSON.stringify({ id: null, ok: false, error: 'bad request json: ' + e.message }) + '\n')
    return
  }
  let resp
  try {
    const h = handlers[req.cmd]
    if (!h) throw new Error('unknown command ' + req.cmd)
    resp = { id: req.id, ok: true, result: h(req) }
  } catch (e) {
    resp = { id: req.id, ok: false, error: String(e && e.stack ? e.stack.split('\n').slice(0, 3).join(' | ') : e) }
  }
  process.stdout.write(JSON.stringify(resp) + '\n')
})
// No process.exit on close: stdout must drain first; node exits once stdin ends.
