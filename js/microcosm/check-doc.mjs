// Reads what a Java microcosm wrote and checks it the way the nodenogg.in web app reads it
// (argument `e5`, the default, or `e4` for alpha-p2p v0.0.11).
// stdin: line 1 = base64 Yjs v1 update of the document; optional line 2 = base64 y-protocols
// awareness update. Prints one JSON line:
//   {errors: [...], collections: {identityId: {entityId: content}}, presence: [identity field, ...]}
// The rules are the app's E5 valibot schema (microcosm-spec.md §1.7, §3 rules 1-4, §4.4), written
// here independently of the Java code.
import * as Y from 'yjs'
import * as awarenessProtocol from 'y-protocols/awareness'

const lines = (await new Promise((resolve) => {
  let s = ''
  process.stdin.on('data', (d) => { s += d })
  process.stdin.on('end', () => resolve(s))
})).split('\n').map((l) => l.trim()).filter((l) => l.length > 0)

const era = process.argv[2] || 'e5'
const errors = []
const ENTITY_ID = /^e[0-9A-Za-z]{16}$/
const IDENTITY_ID = /^@[0-9A-Za-z]{16}$/
const isNum = (v) => typeof v === 'number' && !Number.isNaN(v)
const isOptString = (v) => v === undefined || typeof v === 'string'
const isOptId = (v) => v === undefined || (typeof v === 'string' && ENTITY_ID.test(v))

function checkData (where, d) {
  if (typeof d !== 'object' || d === null) return errors.push(`${where}: data is not an object`)
  if (d.type === 'html') {
    for (const k of ['x', 'y', 'width', 'height']) if (!isNum(d[k])) errors.push(`${where}: html.${k} is not a number`)
    if (typeof d.content !== 'string') errors.push(`${where}: html.content is not a string`)
    if (!isOptString(d.backgroundColor)) errors.push(`${where}: html.backgroundColor is not a string`)
    if (d.tags !== undefined) {
      if (!Array.isArray(d.tags)) errors.push(`${where}: tags is not an array`)
      else for (const t of d.tags) if (typeof t !== 'string' || t.trim().toLowerCase() !== t || t.length > 30) errors.push(`${where}: bad tag ${JSON.stringify(t)}`)
    }
  } else if (d.type === 'connection') {
    if (!isOptId(d.from)) errors.push(`${where}: connection.from is not an entity id`)
    if (!isOptId(d.to)) errors.push(`${where}: connection.to is not an entity id`)
  } else if (d.type === 'emoji') {
    if (typeof d.content !== 'string') errors.push(`${where}: emoji.content is not a string`)
    if (era === 'e5') {
      if (!isNum(d.x) || !isNum(d.y)) errors.push(`${where}: emoji x/y are not numbers`)
      if (!isOptId(d.parentNodeId)) errors.push(`${where}: emoji.parentNodeId is not an entity id`)
    } else if (!isOptId(d.entity)) errors.push(`${where}: emoji.entity is not an entity id`)
  } else {
    errors.push(`${where}: unknown data.type ${JSON.stringify(d.type)}`)
  }
}

const doc = new Y.Doc()
Y.applyUpdate(doc, Buffer.from(lines[0], 'base64'))
const collections = {}
// The app finds collections only through the `identities` map.
for (const [identityId, flag] of doc.getMap('identities').entries()) {
  if (!IDENTITY_ID.test(identityId)) errors.push(`identities key ${identityId} is not an identity id`)
  if (flag !== true) errors.push(`identities[${identityId}] is ${JSON.stringify(flag)}, expected true`)
  collections[identityId] = {}
  for (const [key, value] of doc.getMap(identityId).entries()) {
    const where = `${identityId}/${key}`
    if (value instanceof Y.AbstractType) { errors.push(`${where}: stored as a shared type, not a plain value`); continue }
    if (typeof value !== 'object' || value === null) { errors.push(`${where}: not an object`); continue }
    if (value.signature !== '') errors.push(`${where}: signature is ${JSON.stringify(value.signature)}, expected ''`)
    const c = value.content
    if (typeof c !== 'object' || c === null) { errors.push(`${where}: content missing`); continue }
    const cid = era === 'e5' ? c.id : c.uuid
    if (!ENTITY_ID.test(key) || cid !== key) errors.push(`${where}: id ${cid} does not match key / regex`)
    if (era === 'e5' && c.identity_id !== identityId) errors.push(`${where}: identity_id ${c.identity_id} is not the collection`)
    if (c.version !== '1') errors.push(`${where}: version is ${JSON.stringify(c.version)}, expected the string "1"`)
    if (!isNum(c.lastEdited) || !isNum(c.created)) errors.push(`${where}: timestamps are not numbers`)
    checkData(where, c.data)
    collections[identityId][key] = c
  }
}

const presence = []
if (lines.length > 1) {
  const aw = new awarenessProtocol.Awareness(new Y.Doc())
  awarenessProtocol.applyAwarenessUpdate(aw, Buffer.from(lines[1], 'base64'), 'java')
  for (const [clientId, state] of aw.getStates()) {
    if (clientId === aw.clientID) continue
    const s = state.identity
    if (s === undefined) continue
    const who = era === 'e5' ? s.identity : s
    const whoId = era === 'e5' ? who?.id : who?.uuid
    if (typeof who !== 'object' || !IDENTITY_ID.test(whoId) || who.version !== '1') errors.push(`presence: bad identity ${JSON.stringify(s)}`)
    if (!isOptString(who?.nickname)) errors.push('presence: nickname is not a string')
    if (!isNum(s.timestamp)) errors.push('presence: timestamp is not a number')
    if (typeof s.joined !== 'boolean') errors.push('presence: joined is not a boolean')
    presence.push(s)
  }
  aw.destroy()
}
process.stdout.write(JSON.stringify({ errors, collections, presence }) + '\n')
