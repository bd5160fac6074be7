// Builds a rich-text document exactly as y-prosemirror writes it (prosemirrorJSONToYDoc with the
// prosemirror-schema-basic schema), then edits it through y-prosemirror's own binding functions,
// and prints what real Yjs holds, as one JSON object on stdout:
//   { steps: [{ update, updateV2, state, stateV2, xml }] }  (base64 bytes; xml = YXmlFragment#toString)
// Run by nodenogg.crdt.YProsemirrorDocumentTest; client ids are fixed so the bytes are reproducible.
import * as Y from 'yjs'
import { prosemirrorJSONToYDoc, updateYFragment, yXmlFragmentToProsemirrorJSON } from 'y-prosemirror'
import { schema } from 'prosemirror-schema-basic'
import { Node } from 'prosemirror-model'

const b64 = (u) => Buffer.from(u).toString('base64')
const first = {
  type: 'doc',
  content: [
    { type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: 'Microcosm 😀' }] },
    {
      type: 'paragraph',
      content: [
        { type: 'text', text: 'plain ' },
        { type: 'text', marks: [{ type: 'strong' }], text: 'bold' },
        { type: 'text', marks: [{ type: 'em' }, { type: 'link', attrs: { href: 'https://nodenogg.in', title: null } }], text: ' link' }
      ]
    },
    { type: 'blockquote', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'quote' }] }] },
    { type: 'horizontal_rule' },
    { type: 'paragraph', content: [{ type: 'text', text: 'line' }, { type: 'hard_break' }, { type: 'text', text: 'break' }] },
    { type: 'code_block', content: [{ type: 'text', text: 'x = 1\n' }] }
  ]
}
const doc = prosemirrorJSONToYDoc(schema, first, 'prosemirror')
doc.clientID = 7 // later edits come from a fixed client
const fragment = doc.getXmlFragment('prosemirror')
const steps = []
const snapshotStep = (update) => steps.push({
  update: b64(update),
  updateV2: b64(Y.convertUpdateFormatV1ToV2(update)),
  state: b64(Y.encodeStateAsUpdate(doc)),
  stateV2: b64(Y.encodeStateAsUpdateV2(doc)),
  xml: fragment.toString()
})
snapshotStep(Y.encodeStateAsUpdate(doc))

// second step: the editor changes the document; y-prosemirror diffs it into the fragment
const edited = JSON.parse(JSON.stringify(yXmlFragmentToProsemirrorJSON(fragment)))
edited.content[0].content[0].text = 'Microcosm 😀 (edited)'
edited.content[1].content.push({ type: 'text', marks: [{ type: 'code' }], text: ' code' })
edited.content.splice(3, 1) // drop the horizontal rule
edited.content.push({ type: 'paragraph', content: [{ type: 'text', text: 'new paragraph' }] })
let update = null
doc.once('update', (u) => { update = u })
doc.transact(() => {
  updateYFragment(doc, fragment, Node.fromJSON(schema, edited), { mapping: new Map(), isOMark: new Map() })
})
snapshotStep(update)
process.stdout.write(JSON.stringify({ steps }) + '\n')
