// Builds a microcosm document with the real yjs exactly as the nodenogg.in web app writes it
// (microcosm-spec.md §3: root map `identities`, one root map per identity, values
// {content, signature: ''} stored as plain objects). Prints one JSON line:
//   {update: <base64 v1 update>, expected: {identityId: {entityId: content}}, invalid: [[identity, key], ...],
//    awareness: <base64 awareness update>, presence: <the app's awareness `identity` field>}
// `expected` holds exactly the stored content objects of the valid entities; `invalid` lists stored
// values the app's own schema would reject (a reader must skip them).
// Usage: node app-doc.mjs e5|e4
import * as Y from 'yjs'
import * as awarenessProtocol from 'y-protocols/awareness'

const era = process.argv[2] || 'e5'
const doc = new Y.Doc()
const alice = '@kx3aaaaaaaaaaaa1'
const bob = '@kx3bbbbbbbbbbbb2'
const expected = { [alice]: {}, [bob]: {} }
const invalid = []
const t0 = 1748000000000

// Entity objects with keys in valibot schema order, as the app's `create` returns them.
function entity (id, owner, data, lastEdited) {
  if (era === 'e5') {
    return { id, identity_id: owner, lastEdited, created: t0, data, version: '1' }
  }
  return { uuid: id, lastEdited, created: t0, version: '1', data }
}

function put (owner, id, content, valid = true) {
  doc.getMap(owner).set(id, { content, signature: '' })
  if (valid) expected[owner][id] = content
  else invalid.push([owner, id])
}

const n1 = 'eq7aaaaaaaaaaaa01'
const n2 = 'eq7aaaaaaaaaaaa02'
const n3 = 'eq7bbbbbbbbbbbb03'
doc.transact(() => {
  doc.getMap('identities').set(alice, true)
  put(alice, n1, entity(n1, alice, { type: 'html', x: 120, y: -40, width: 200, height: 200, content: '' }, t0))
})
doc.transact(() => {
  doc.getMap('identities').set(bob, true)
  put(bob, n3, entity(n3, bob, { type: 'html', x: 10.5, y: 3.25, width: 250, height: 180, content: '<p>Bob</p>', backgroundColor: 'green' }, t0 + 1))
})
// An update rewrites the whole value (a map overwrite item in the document).
const html2 = era === 'e5'
  ? { type: 'html', x: -400.75, y: 399, width: 200, height: 200, content: '<p>hello <b>world</b> ❤️</p>', backgroundColor: 'yellow', tags: ['ideas', 'todo'] }
  : { type: 'html', x: -400.75, y: 399, width: 200, height: 200, content: '<p>hello <b>world</b> ❤️</p>', backgroundColor: 'yellow' }
put(alice, n2, entity(n2, alice, { type: 'html', x: 0, y: 0, width: 200, height: 200, content: '' }, t0 + 2))
put(alice, n2, entity(n2, alice, html2, t0 + 3))
const c1 = 'eq7aaaaaaaaaaaa04'
put(alice, c1, entity(c1, alice, { type: 'connection', from: n1, to: n3 }, t0 + 4))
const c2 = 'eq7aaaaaaaaaaaa05'
put(alice, c2, entity(c2, alice, { type: 'connection' }, t0 + 5))
const r1 = 'eq7bbbbbbbbbbbb06'
put(bob, r1, entity(r1, bob, era === 'e5'
  ? { type: 'emoji', content: '❤️', x: 130, y: -30, parentNodeId: n1 }
  : { type: 'emoji', content: '❤️', entity: n1 }, t0 + 6))
// an optional field explicitly undefined is valid (valibot optional) and stored as lib0 `undefined`
const u1 = 'eq7bbbbbbbbbbbb07'
const withUndefined = entity(u1, bob, { type: 'html', x: 1, y: 2, width: 3, height: 4, content: 'u', backgroundColor: undefined }, t0 + 7)
doc.getMap(bob).set(u1, { content: withUndefined, signature: '' })
expected[bob][u1] = JSON.parse(JSON.stringify(withUndefined))
// deleted entity: must not appear
const d1 = 'eq7aaaaaaaaaaaa08'
put(alice, d1, entity(d1, alice, { type: 'html', x: 0, y: 0, width: 1, height: 1, content: 'gone' }, t0 + 8))
doc.getMap(alice).delete(d1)
delete expected[alice][d1]

// values the app's schema rejects
put(alice, 'eq7aaaaaaaaaaaa09', { ...entity('eq7aaaaaaaaaaaa09', alice, { type: 'html', x: 0, y: 0, width: 1, height: 1, content: '' }, t0), version: 1 }, false)
put(alice, 'eq7aaaaaaaaaaaa10', entity('eq7aaaaaaaaaaaa10', alice, { type: 'html', x: '0', y: 0, width: 1, height: 1, content: '' }, t0), false)
put(alice, 'eq7aaaaaaaaaaaa11', entity('eq7aaaaaaaaaaaa11', alice, { type: 'region', x: 0, y: 0, width: 1, height: 1 }, t0), false)
put(bob, 'eq7bbbbbbbbbbbb12', entity('eq7bbbbbbbbbbbb12', bob, { type: 'connection', from: 'not-an-id' }, t0), false)
doc.getMap(bob).set('eq7bbbbbbbbbbbb13', new Y.Map())
invalid.push([bob, 'eq7bbbbbbbbbbbb13'])
doc.getMap(bob).set('bad key', { content: entity('eq7bbbbbbbbbbbb14', bob, { type: 'connection' }, t0), signature: '' })
invalid.push([bob, 'bad key'])
// a map that is not listed in `identities` is invisible to readers
doc.getMap('@kx3ccccccccccc3').set('eq7cccccccccccc15', { content: entity('eq7cccccccccccc15', '@kx3ccccccccccc3', { type: 'connection' }, t0), signature: '' })

// presence as the app publishes it with join() (spec §4.4)
const aw = new awarenessProtocol.Awareness(doc)
const presence = era === 'e5'
  ? { identity: { id: alice, nickname: 'Alice', version: '1' }, timestamp: t0 + 9, joined: true }
  : { uuid: alice, nickname: 'Alice', version: '1', timestamp: t0 + 9, joined: true }
aw.setLocalStateField('identity', presence)
const awareness = Buffer.from(awarenessProtocol.encodeAwarenessUpdate(aw, [doc.clientID])).toString('base64')
aw.destroy()

const update = Y.encodeStateAsUpdate(doc)
process.stdout.write(JSON.stringify({ update: Buffer.from(update).toString('base64'), expected, invalid, awareness, presence }) + '\n')
