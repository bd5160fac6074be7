// A microcosm document written with the real yjs as the web app lays it out, holding the values an
// export has to get exactly right: name collisions, long and empty first lines, HTML the app's regexes
// treat oddly, RTF escapes (braces, backslashes, astral and lone surrogates), tags the schema lowercases
// or rejects, out-of-range timestamps (fractional ones with the argument `fractions`), emoji on a missing parent, connections without ends,
// an identity listed twice and a collection that is not listed. Prints the base64 v1 update.
import * as Y from 'yjs'

const doc = new Y.Doc()
const ann = '@annaaaaaaaaaaaa1'
const ben = '@benbbbbbbbbbbbb2'
const ghost = '@ghostggggggggg3x'
const day = 1748000000000
let n = 0
const id = (p) => `e${p}${String(++n).padStart(16 - p.length, '0')}`
function put (owner, data, extra = {}) {
  const e = id(owner.slice(1, 4))
  doc.getMap(owner).set(e, { content: { id: e, identity_id: owner, lastEdited: day + n, created: day, data, version: '1', ...extra }, signature: '' })
  return e
}
doc.getMap('identities').set(ben, true)
doc.getMap('identities').set(ann, true)
doc.getMap('identities').set('not-an-identity', true)
const html = (content, more = {}) => ({ type: 'html', x: 10, y: 20, width: 200, height: 200, content, ...more })
const a1 = put(ann, html('<p>Same first line</p>\n<p>one</p>'))
put(ann, html('<p>Same first line</p>\n<p>two</p>'))
put(ann, html('x'.repeat(80) + ' and more words after fifty characters'))
put(ann, html('\nstarts with a newline'))
put(ann, html('<h1>Title &amp; more</h1><p>a {brace} and \\backslash\\ and $1 $& dollars</p>'))
put(ann, html('<ol><li>one</li><li>two <b>bold</b></li></ol><ol>\n<li>again</li></ol><ul><li>x</li></ul>'))
put(ann, html('<ul data-type="taskList"><li data-type="taskItem" data-checked="true">done</li><li data-type="taskItem" data-checked="false">todo</li></ul>'))
put(ann, html('<p>café ❤️ 😀 \u00a0nbsp\u2028line\u3000wide \ud800 lone</p><br><BR/><br />end'))
put(ann, html('<a href="https://x.example/?a=1&amp;b=2">link</a> <img src="p.png" alt="Pic"> <img alt="A" src="q.png"> <img src=\'r.png\'>'))
put(ann, html('<pre>code {x}</pre><code>a\\b</code><blockquote>quoted <i>it</i></blockquote><hr><table><tr><th>h</th><td>d</td></tr></table>'))
put(ann, html('<strong>s</strong><em>e</em><i>i</i><b>b</b><br/><p class="x">para</p>\n\n\n\n<p>gap</p>   '))
put(ann, html('', { backgroundColor: 'blue', tags: ['  Ideas ', 'TODO'] }))
put(ann, html('<p>too long tag</p>', { tags: ['x'.repeat(31)] }))
if (process.argv[2] === 'fractions') put(ann, html('<p>float times</p>'), { created: day + 0.75, lastEdited: day + 1.5 })
put(ann, html('<p>far future</p>'), { created: 253402300800000 })
put(ann, html('<p>before 1970</p>'), { created: -86400000 * 400 })
put(ann, html('<p>beyond a JS Date</p>'), { created: 8.64e15 + 1 })
put(ann, html('<p>wrong owner</p>'), { identity_id: ben })
put(ann, html('<p>extra keys</p>', { z: 9 }), { extra: true })
put(ann, { type: 'emoji', content: '👍', x: 1, y: 2, parentNodeId: a1 })
put(ann, { type: 'emoji', content: '', x: 1, y: 2, parentNodeId: a1 })
put(ann, { type: 'emoji', content: '🎉 {x}', x: 3, y: 4 })
put(ann, { type: 'emoji', content: '❓', x: 3, y: 4, parentNodeId: 'emissingmissing01' })
put(ann, { type: 'connection', from: a1 })
put(ann, { type: 'connection' })
put(ben, html('<p>Ben&#39;s note</p>'))
put(ben, { type: 'emoji', content: '❤️', x: 5, y: 6, parentNodeId: a1 })
put(ben, html('Same first line'), { created: day })
put(ghost, html('<p>not listed in identities</p>'))
process.stdout.write(Buffer.from(Y.encodeStateAsUpdate(doc)).toString('base64'))
