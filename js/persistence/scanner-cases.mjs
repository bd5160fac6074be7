// Oracle for the update stores' stored versions (YjsFormat keeps state vectors without building a Doc; YjsVersionOracleTest):
// real Yjs updates covering every content type, with what Yjs itself says about them.
// Prints JSON lines: {"name":..., "update":b64, "sv":b64 of Y.encodeStateVectorFromUpdate(update)}
// and, per editing session, {"session":..., "updates":[b64...], "finalSv": b64 of Y.encodeStateVector(doc)}.
//   node scanner-cases.mjs SEED
import * as Y from 'yjs'

const seed = Number(process.argv[2] ?? 1)
let s = seed >>> 0
const rnd = () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32 }
const pick = n => Math.floor(rnd() * n)
const b64 = u => Buffer.from(u).toString('base64')
const out = o => console.log(JSON.stringify(o))

const anyValues = [null, undefined, true, false, 0, -5, 2 ** 31, 1.5, -1e300, 'str', 'é😀',
  { a: [1, { b: null }], 'k"': 'v' }, [1, 'two', [3]], new Uint8Array([1, 2, 3]), 10n ** 15n]
// arrays take neither undefined nor bigint (yjs typeListInsertGenerics)
const arrayValues = anyValues.filter(v => v !== undefined && typeof v !== 'bigint')

function session (name, clientID, steps) {
  const doc = new Y.Doc({ gc: pick(2) === 0 })
  doc.clientID = clientID
  const updates = []
  doc.on('update', u => updates.push(u))
  const text = doc.getText('text')
  const arr = doc.getArray('arr')
  const map = doc.getMap('map')
  const xml = doc.getXmlFragment('xml')
  for (let i = 0; i < steps; i++) {
    switch (pick(12)) {
      case 0: text.insert(pick(text.length + 1), 'abc😀é'.slice(0, 1 + pick(6))); break
      case 1: text.insert(pick(text.length + 1), 'bold', { bold: true, color: '#f00' }); break
      case 2: text.insertEmbed(pick(text.length + 1), { image: 'x.png' }); break
      case 3: if (text.length > 2) text.format(0, 2, { italic: true }); break
      case 4: if (text.length > 0) text.delete(pick(text.length), 1); break
      case 5: arr.insert(pick(arr.length + 1), [arrayValues[pick(arrayValues.length)], arrayValues[pick(arrayValues.length)]]); break
      case 6: arr.push([new Uint8Array([pick(255)])]); break
      case 7: map.set('k' + pick(4), anyValues[pick(anyValues.length)]); break
      case 8: map.set('sub' + pick(2), new Y.Doc({ guid: 'sub-' + pick(100) })); break
      case 9: { const el = new Y.XmlElement('p'); el.setAttribute('class', 'c' + pick(3)); el.insert(0, [new Y.XmlText('hi')]); xml.insert(pick(xml.length + 1), [el]); break }
      case 10: xml.insert(0, [new Y.XmlHook('hook')]); break
      case 11: if (arr.length > 0) arr.delete(pick(arr.length), 1); break
    }
  }
  out({ session: name, updates: updates.map(b64), finalSv: b64(Y.encodeStateVector(doc)) })
  out({ name: name + '/state', update: b64(Y.encodeStateAsUpdate(doc)), sv: b64(Y.encodeStateVectorFromUpdate(Y.encodeStateAsUpdate(doc))) })
  return updates
}

for (let k = 0; k < 6; k++) {
  const ups = session('s' + k, 1000 + k * 7919, 40 + pick(60))
  for (let i = 0; i < ups.length; i += 7) {
    out({ name: `s${k}/u${i}`, update: b64(ups[i]), sv: b64(Y.encodeStateVectorFromUpdate(ups[i])) })
  }
  // a merged update with a gap: Yjs writes a Skip struct over the missing range
  if (ups.length > 4) {
    const gap = Y.mergeUpdates([ups[0], ups[2], ups[4]])
    out({ name: `s${k}/gap`, update: b64(gap), sv: b64(Y.encodeStateVectorFromUpdate(gap)) })
    const tail = Y.mergeUpdates(ups.slice(3))
    out({ name: `s${k}/tail`, update: b64(tail), sv: b64(Y.encodeStateVectorFromUpdate(tail)) })
  }
}
// two clients editing concurrently, merged
const a = new Y.Doc(); a.clientID = 11
const b = new Y.Doc(); b.clientID = 4242424242
a.getText('t').insert(0, 'from a')
b.getArray('x').insert(0, [1, 2, 3])
Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
b.getText('t').delete(1, 2)
const both = Y.encodeStateAsUpdate(b)
out({ name: 'two-clients', update: b64(both), sv: b64(Y.encodeStateVectorFromUpdate(both)) })
out({ name: 'empty', update: b64(Y.encodeStateAsUpdate(new Y.Doc())), sv: b64(Y.encodeStateVectorFromUpdate(Y.encodeStateAsUpdate(new Y.Doc()))) })
