// Builds a document the way the E3 nodenogg.in web app wrote it (2024-05-23 .. 2025-05-15;
// microcosm-spec.md §1.5 and §3): root Y.Map `identities` (IdentityID -> true), one root Y.Map per
// identity whose values are plain objects {data: entity, signature: ''} (ContentAny), entities flat
// {id, type, schema, created, lastEdited, ...fields}. Two identities: one with the 35-character id
// body, one with the 36-character id of the builds before 45500b38. Prints one JSON line:
//   {update: <base64 v1 update>,
//    expected: {identityId: {entityId: data}}   -- every value the E3 reader accepts (isEntity),
//    invalid: [[collection, key], ...]            -- every key/value it skips,
//    mapping: {"<identity>/<entity>": e5 data}    -- what a faithful E5 import must produce, references
//                                                    written as E3 locations "<identity>/<entity>",
//    skipped: ["<identity>/<entity>", ...]        -- entities with no E5 equivalent}
// The mapping follows the rules stated in nodenogg.microcosm.legacy.E3ToE5's javadoc, written here
// independently from the Java code.
import * as Y from 'yjs'

const doc = new Y.Doc()
const alice = '@A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r' // '@' + 35
const bob = '@Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp9Oo8' // '@' + 36: before 45500b38
const expected = { [alice]: {}, [bob]: {} }
const invalid = []
const mapping = {}
const skipped = []
const t0 = 1717200000000

// The E3 `create`: base fields, then the version's fields, flat.
const entity = (id, type, schema, fields, lastEdited = t0) => ({ id, type, schema, created: t0, lastEdited, ...fields })
function put (owner, data) {
  doc.getMap(owner).set(data.id, { data, signature: '' })
  expected[owner][data.id] = JSON.parse(JSON.stringify(data))
}
const loc = (owner, id) => `${owner}/${id}`

doc.transact(() => {
  doc.getMap('identities').set(alice, true)
  doc.getMap('identities').set(bob, true)
})

// html v1 with z and a colour; then an update (the whole value rewritten, schema = latest)
put(alice, entity('eHtml0001', 'html', 1, { x: 0, y: 0, width: 300, height: 200, body: '' }))
put(alice, entity('eHtml0001', 'html', 1, { x: 120, y: -40.5, width: 300, height: 200, z: 3, body: '<p>hello <b>world</b> ❤️</p>', background_color: 'yellow' }, t0 + 5))
mapping[loc(alice, 'eHtml0001')] = { type: 'html', x: 120, y: -40.5, width: 300, height: 200, content: '<p>hello <b>world</b> ❤️</p>', backgroundColor: 'yellow' }
put(bob, entity('eHtml0002', 'html', 1, { x: 10, y: 20, width: 250, height: 180, body: '<p>Bob</p>' }, t0 + 1))
mapping[loc(bob, 'eHtml0002')] = { type: 'html', x: 10, y: 20, width: 250, height: 180, content: '<p>Bob</p>' }

// region and ghost: no E5 equivalent
put(alice, entity('eRegion01', 'region', 1, { x: -500, y: -500, width: 1000, height: 800, title: 'Ideas', background_color: 'blue' }))
skipped.push(loc(alice, 'eRegion01'))
put(alice, entity('eGhost001', 'ghost', 1, { x: 5, y: 5, width: 300, height: 200, deleted: t0 + 2 }))
skipped.push(loc(alice, 'eGhost001'))

// relation v1 {body}: nothing to connect
put(alice, entity('eRelV1001', 'relation', 1, { body: 'old link' }))
skipped.push(loc(alice, 'eRelV1001'))
// relation v2 across collections, with a label
put(alice, entity('eRelV2001', 'relation', 2, { from: 'eHtml0001', to: 'eHtml0002', body: 'because' }, t0 + 7))
mapping[loc(alice, 'eRelV2001')] = { type: 'connection', from: loc(alice, 'eHtml0001'), to: loc(bob, 'eHtml0002') }
// the early name `connection` (6b7b1cdf .. be518c02), one end on a skipped region: that end stays open
put(bob, entity('eConn0001', 'connection', 2, { from: 'eHtml0002', to: 'eRegion01' }))
mapping[loc(bob, 'eConn0001')] = { type: 'connection', from: loc(bob, 'eHtml0002') }
// both ends unusable (a ghost and a non-id): skipped
put(bob, entity('eRelV2002', 'relation', 2, { from: 'eGhost001', to: 'not an id' }))
skipped.push(loc(bob, 'eRelV2002'))

// emoji v2 pointing at an html entity: E5 x/y is an offset from the parent note (the app draws it at
// note.x + x, note.y + y); E3 emoji have no position, so the first sits just above the note's corner
put(bob, entity('eEmoji001', 'emoji', 2, { entity_id: 'eHtml0001', body: '❤️' }, t0 + 9))
mapping[loc(bob, 'eEmoji001')] = { type: 'emoji', content: '❤️', x: 0, y: -50, parentNodeId: loc(alice, 'eHtml0001') }
// emoji v2 on a relation: no position to take, 0/0
put(alice, entity('eEmoji002', 'emoji', 2, { entity_id: 'eRelV2001', body: '👍' }))
mapping[loc(alice, 'eEmoji002')] = { type: 'emoji', content: '👍', x: 0, y: 0, parentNodeId: loc(alice, 'eRelV2001') }
// emoji v1 (no target) and an emoji on a region: skipped
put(alice, entity('eEmoji003', 'emoji', 1, { body: '🎉' }))
skipped.push(loc(alice, 'eEmoji003'))
put(bob, entity('eEmoji004', 'emoji', 2, { entity_id: 'eRegion01', body: '🔥' }))
skipped.push(loc(bob, 'eEmoji004'))
// an optional field explicitly undefined (lib0 `undefined`) reads as absent
put(bob, entity('eHtml0003', 'html', 1, { x: 1, y: 2, width: 3, height: 4, body: 'u', background_color: undefined }))
mapping[loc(bob, 'eHtml0003')] = { type: 'html', x: 1, y: 2, width: 3, height: 4, content: 'u' }

// deleted: not there
put(alice, entity('eGone0001', 'html', 1, { x: 0, y: 0, width: 1, height: 1, body: 'gone' }))
doc.getMap(alice).delete('eGone0001')
delete expected[alice].eGone0001

// values the E3 reader skips
const bad = (owner, key, value) => { doc.getMap(owner).set(key, value); invalid.push([owner, key]) }
bad(alice, 'eBadType1', { data: entity('eBadType1', 'svg', 1, { body: '' }), signature: '' })
bad(alice, 'eBadTime1', { data: { ...entity('eBadTime1', 'html', 1, { x: 0, y: 0, width: 1, height: 1, body: '' }), created: '2024' }, signature: '' })
bad(alice, 'eNoData01', { content: entity('eNoData01', 'html', 1, {}), signature: '' })
bad(bob, 'eBadIdIn1', { data: entity('e_0', 'html', 1, { x: 0, y: 0, width: 1, height: 1, body: '' }), signature: '' })
bad(bob, 'eYMap0001', new Y.Map())
bad(bob, 'not-a-key', { data: entity('eHtml0009', 'html', 1, { x: 0, y: 0, width: 1, height: 1, body: '' }), signature: '' })
bad(bob, 'eString01', 'just a string')
// an identities key that is not an E3 identity id (an E5 id): its collection is not read
doc.getMap('identities').set('@kx3aaaaaaaaaaaa1', true)
doc.getMap('@kx3aaaaaaaaaaaa1').set('eHtml0010', { data: entity('eHtml0010', 'html', 1, { x: 0, y: 0, width: 1, height: 1, body: '' }), signature: '' })
invalid.push(['identities', '@kx3aaaaaaaaaaaa1'])
// a collection not listed in `identities` is invisible
doc.getMap('@' + 'c'.repeat(35)).set('eHtml0011', { data: entity('eHtml0011', 'html', 1, { x: 0, y: 0, width: 1, height: 1, body: '' }), signature: '' })

const update = Y.encodeStateAsUpdate(doc)
process.stdout.write(JSON.stringify({ update: Buffer.from(update).toString('base64'), expected, invalid, mapping, skipped }) + '\n')
