// Doc.toJSON oracle: doc B receives roots by update that it never defines itself.
// Prints one JSON line: the update (base64) and JSON.stringify(b.toJSON()) before and after B
// defines some of the roots. Used by nodenogg.crdt.DocToJsonInteropTest.
import * as Y from 'yjs'

const a = new Y.Doc()
a.clientID = 1
a.getMap('defined').set('k', 1)
a.getArray('remoteOnly').push([1, 'x', { o: -0 }])
a.getText('txt').insert(0, 'hi')
a.getMap('3').set('n', true) // integer-like name, remote only
a.getArray('7').push([2]) // integer-like name, defined later by B
a.getXmlFragment('xml').insert(0, [new Y.XmlText('t')]) // remote only
a.getMap('defined').set('nested', new Y.Map())
const update = Y.encodeStateAsUpdate(a)

const b = new Y.Doc()
b.clientID = 2
b.getMap('localFirst').set('z', 0)
Y.applyUpdate(b, update)
const before = JSON.stringify(b.toJSON())
b.getMap('defined')
b.getText('txt')
b.getArray('7')
b.getArray('localAfter')
const after = JSON.stringify(b.toJSON())
console.log(JSON.stringify({ update: Buffer.from(update).toString('base64'), before, after }))
