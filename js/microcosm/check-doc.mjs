// Reads what a Java microcosm wrote and checks it the way the nodenogg.in web app reads it
// (argument `e5`, the default, or `e4` for alpha-p2p v0.0.11).
// stdin: line 1 = base64 Yjs v1 update of the document; optional line 2 = base64 y-protocols
// awareness update. Prints one JSON line:
//   {errors: [...], collections: {identityId: {entityId: content}}, presence: [identity field, ...]}
// The rules are the app's E5 valibot schema (microcosm-spec.md §1.7, §3 rules 1-4, §4.4), written
// here independently of the Java code.
import * as Y from 'yjs'
import { makeRules } from './rules.mjs'
import * as awarenessProtocol from 'y-protocols/awareness'

const lines = (await new Promise((resolve) => {
  let s = ''
  process.stdin.on('data', (d) => { s += d })
  process.stdin.on('end', () => resolve(s))
})).split('\n').map((l) => l.trim()).filter((l) => l.length > 0)

const era = process.argv[2] || 'e5'
const errors = []
const rules = makeRules(era, errors)

const doc = new Y.Doc()
Y.applyUpdate(doc, Buffer.from(lines[0], 'base64'))
const collections = rules.checkCollections(doc)

let presence = []
if (lines.length > 1) {
  const aw = new awarenessProtocol.Awareness(new Y.Doc())
  awarenessProtocol.applyAwarenessUpdate(aw, Buffer.from(lines[1], 'base64'), 'java')
  presence = rules.checkPresence(aw.getStates(), aw.clientID)
  aw.destroy()
}
process.stdout.write(JSON.stringify({ errors, collections, presence }) + '\n')
