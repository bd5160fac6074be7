// The nodenogg.in web app's exports (v0.3.40: products/app/src/utils/export.ts, export-md.ts, export-rtf.ts),
// written here from the app's rules and run on the real yjs, valibot, versioned-schema and JSZip the app builds
// them with, so the Java exporter can be compared with it on the same document.
//
// usage: node export.mjs INPUT.json  where INPUT is {update: base64 v1 update, microcosmId, identityId|null, generatedAt: ms}
// prints {collections, json, jsonIdentity, markdown: {files, zip}, rtf: {files, zip}} (zips base64, made by JSZip)
import { readFileSync } from 'node:fs'
import * as Y from 'yjs'
import { createVersionedSchema } from '@figureland/versioned-schema'
import { array, custom, literal, maxLength, number, object, optional, pipe, string, toLowerCase, trim, variant } from 'valibot'
import JSZip from 'jszip'

const APP_VERSION = '0.0.1'

// ---- the schema (packages/schema at v0.3.40): ids are a prefix and 16 letters or digits
const alnum = (s) => /^[0-9A-Za-z]+$/.test(s)
const isEntityId = (v) => typeof v === 'string' && v.startsWith('e') && v.length === 17 && alnum(v)
const isIdentityId = (v) => typeof v === 'string' && v.startsWith('@') && v.length === 17 && alnum(v.slice(1))
const entityId = custom(isEntityId)
const identityId = custom(isIdentityId)
const Entity = createVersionedSchema({
  base: {},
  versions: {
    1: {
      id: entityId,
      identity_id: identityId,
      lastEdited: number(),
      created: number(),
      data: variant('type', [
        object({
          type: literal('html'), x: number(), y: number(), width: number(), height: number(), content: string(),
          backgroundColor: optional(string()),
          tags: optional(array(pipe(string(), trim(), toLowerCase(), maxLength(30))))
        }),
        object({ type: literal('connection'), from: optional(entityId), to: optional(entityId) }),
        object({ type: literal('emoji'), content: string(), x: number(), y: number(), parentNodeId: optional(entityId) })
      ])
    }
  }
})

// ---- reading the document as YMicrocosmAPI does: identities map → collection maps → parsed `content`
function api (doc) {
  return {
    collections: () => [...doc.getMap('identities').keys()].filter(isIdentityId),
    collection: (id) => [...doc.getMap(id).keys()].filter(isEntityId),
    entity: (identity, id) => {
      try {
        return Entity.parse(doc.getMap(identity).get(id)?.content)
      } catch {
        return undefined
      }
    }
  }
}

const day = (ms) => new Date(ms).toISOString().split('T')[0]

// ---- "Export as JSON"
function exportJson (m, microcosmId, identity, generatedAt) {
  const entities = {}
  for (const id of m.collection(identity)) {
    const e = m.entity(identity, id)
    if (e) entities[id] = e
  }
  return JSON.stringify({ microcosm_id: microcosmId, generated_at: new Date(generatedAt).toISOString(), app_version: APP_VERSION, identity_id: identity, entities }, null, 2)
}

// ---- shared by the Markdown and RTF exports
function gather (m) {
  const all = []
  let identities = 0
  for (const identity of m.collections()) {
    identities++
    for (const id of m.collection(identity)) {
      const e = m.entity(identity, id)
      if (e) all.push(e)
    }
  }
  const emojiOf = new Map()
  for (const e of all) {
    if (e.data.type === 'emoji' && e.data.parentNodeId) {
      emojiOf.set(e.data.parentNodeId, [...(emojiOf.get(e.data.parentNodeId) || []), e])
    }
  }
  return { all, identities, emojiOf }
}

function fileName (e, index, ext, stripTags) {
  const date = day(e.created)
  if (e.data.type === 'html' && e.data.content) {
    let first = e.data.content.split('\n')[0]
    if (stripTags) first = first.replace(/<[^>]*>/g, '')
    const slug = first.replace(/[^\w\s-]/g, '').replace(/\s+/g, '-').toLowerCase().substring(0, 50).trim()
    if (slug) return `${date}-${slug}.${ext}`
  }
  return `${date}-entity-${index + 1}.${ext}`
}

const emojiNames = (list) => list.map(x => x.data.type === 'emoji' ? x.data.content : '').filter(Boolean).join(', ')

function files (m, ext, render) {
  const { all, identities, emojiOf } = gather(m)
  const out = []
  let index = 0
  for (const e of all) {
    try {
      if (e.data.type === 'emoji' && e.data.parentNodeId) continue
      const related = e.data.type === 'html' ? (emojiOf.get(e.id) || []) : []
      const name = fileName(e, index, ext, ext === 'rtf')
      out.push({ filename: name, content: render(e, related) })
      index++
    } catch (err) {
      // the app warns and skips the entity (a date a JS Date cannot hold)
    }
  }
  return { out, identities }
}

// ---- Markdown (export-md.ts)
const MD_RULES = [
  [/<h1[^>]*>(.*?)<\/h1>/gi, '# $1\n\n'], [/<h2[^>]*>(.*?)<\/h2>/gi, '## $1\n\n'], [/<h3[^>]*>(.*?)<\/h3>/gi, '### $1\n\n'],
  [/<h4[^>]*>(.*?)<\/h4>/gi, '#### $1\n\n'], [/<h5[^>]*>(.*?)<\/h5>/gi, '##### $1\n\n'], [/<h6[^>]*>(.*?)<\/h6>/gi, '###### $1\n\n'],
  [/<strong[^>]*>(.*?)<\/strong>/gi, '**$1**'], [/<b[^>]*>(.*?)<\/b>/gi, '**$1**'],
  [/<em[^>]*>(.*?)<\/em>/gi, '*$1*'], [/<i[^>]*>(.*?)<\/i>/gi, '*$1*'],
  [/<code[^>]*>(.*?)<\/code>/gi, '`$1`'], [/<pre[^>]*>(.*?)<\/pre>/gi, '```\n$1\n```'],
  [/<a[^>]*href=["']([^"']*)["'][^>]*>(.*?)<\/a>/gi, '[$2]($1)'],
  [/<ul[^>]*data-type=["']taskList["'][^>]*>/gi, ''],
  [/<li[^>]*data-type=["']taskItem["'][^>]*data-checked=["']true["'][^>]*>(.*?)<\/li>/gi, '- [x] $1'],
  [/<li[^>]*data-type=["']taskItem["'][^>]*data-checked=["']false["'][^>]*>(.*?)<\/li>/gi, '- [ ] $1'],
  [/<li[^>]*data-type=["']taskItem["'][^>]*>(.*?)<\/li>/gi, '- [ ] $1'],
  [/<ul[^>]*>/gi, ''], [/<\/ul>/gi, ''], [/<li[^>]*>(.*?)<\/li>/gi, '- $1'],
  [/<p[^>]*>/gi, ''], [/<\/p>/gi, '\n\n'], [/<br\s*\/?>/gi, '\n'],
  [/<blockquote[^>]*>(.*?)<\/blockquote>/gi, '> $1'],
  [/<img[^>]*src=["']([^"']*)["'][^>]*alt=["']([^"']*)["'][^>]*\/?>/gi, '![$2]($1)'],
  [/<img[^>]*alt=["']([^"']*)["'][^>]*src=["']([^"']*)["'][^>]*\/?>/gi, '![$1]($2)'],
  [/<img[^>]*src=["']([^"']*)["'][^>]*\/?>/gi, '![]($1)'],
  [/<hr[^>]*\/?>/gi, '---'],
  [/<table[^>]*>/gi, ''], [/<\/table>/gi, ''], [/<tr[^>]*>/gi, ''], [/<\/tr>/gi, '\n'],
  [/<td[^>]*>(.*?)<\/td>/gi, '| $1 '], [/<th[^>]*>(.*?)<\/th>/gi, '| $1 '],
  [/<[^>]*>/g, ''],
  [/&amp;/g, '&'], [/&lt;/g, '<'], [/&gt;/g, '>'], [/&quot;/g, '"'], [/&#39;/g, "'"], [/&nbsp;/g, ' '],
  [/\n\s*\n\s*\n/g, '\n\n'], [/^\s+|\s+$/g, '']
]

function htmlToMarkdown (html) {
  let s = html.replace(/<ol[^>]*>([\s\S]*?)<\/ol>/gi, (_, inner) => {
    let n = 1
    return inner.replace(/<li[^>]*>(.*?)<\/li>/gi, (_li, text) => `${n++}. ${text}\n`)
  })
  for (const [re, to] of MD_RULES) s = s.replace(re, to)
  return s
}

function entityToMarkdown (e, related) {
  const fields = [`created: ${new Date(e.created).toISOString()}`, `lastEdited: ${new Date(e.lastEdited).toISOString()}`, `type: ${e.data.type}`]
  if (e.data.type === 'html') {
    if (e.data.backgroundColor) fields.push(`backgroundColor: ${e.data.backgroundColor}`)
    if (e.data.tags && e.data.tags.length > 0) fields.push(`tags: [${e.data.tags.join(', ')}]`)
    if (related.length > 0 && emojiNames(related)) fields.push(`emojis: [${emojiNames(related)}]`)
  }
  const head = `---\n${fields.join('\n')}\n---\n\n`
  if (e.data.type === 'html') {
    let tail = ''
    if (related.length > 0) {
      tail = '\n\n---\n\n## Emojis\n\n' + related.map(x => `${x.data.content} `).join('')
      tail = tail.trim()
    }
    return head + htmlToMarkdown(e.data.content || '') + tail
  }
  if (e.data.type === 'emoji') return head + `# ${e.data.content}`
  return head + `Connection from ${e.data.from || 'unknown'} to ${e.data.to || 'unknown'}`
}

function mdManifest (microcosmId, at, identities, names) {
  return `# Microcosm Export Manifest

**Microcosm ID:** ${microcosmId}
**Generated:** ${at}
**App Version:** ${APP_VERSION}
**Total Identities:** ${identities}
**Total Files:** ${names.length}

## Files

${names.map(n => `- ${n}`).join('\n')}

## Instructions

This export contains ${names.length} markdown files from your microcosm. Each file contains:
- YAML frontmatter with metadata (entity_id, created, lastEdited, type)
- The original content preserved as markdown

To use these files:
1. Extract the ZIP archive to a directory
2. Each .md file can be opened in any markdown editor
3. The frontmatter contains the original entity metadata
`
}

// ---- RTF (export-rtf.ts)
function rtfEscape (text) {
  const t = text.replace(/\\/g, '\\\\').replace(/{/g, '\\{').replace(/}/g, '\\}')
  let out = ''
  for (let i = 0; i < t.length; i++) {
    const code = t.charCodeAt(i)
    if (code <= 0x7f) { out += t[i]; continue }
    const next = i + 1 < t.length ? t.charCodeAt(i + 1) : -1
    if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      const cp = t.codePointAt(i)
      out += `\\u${Math.floor((cp - 0x10000) / 0x400) + 0xd800}?\\u${((cp - 0x10000) % 0x400) + 0xdc00}?`
      i++
    } else {
      out += `\\u${code}?`
    }
  }
  return out
}

const decode = (s) => s.replace(/<[^>]*>/g, '').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>')
  .replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&nbsp;/g, ' ')
const wrap = (before, after) => (_, text) => before + rtfEscape(decode(text)) + after

const RTF_RULES = [
  [/<h1[^>]*>(.*?)<\/h1>/gi, wrap('\\fs48\\b ', '\\b0\\fs24\\par\n')], [/<h2[^>]*>(.*?)<\/h2>/gi, wrap('\\fs40\\b ', '\\b0\\fs24\\par\n')],
  [/<h3[^>]*>(.*?)<\/h3>/gi, wrap('\\fs32\\b ', '\\b0\\fs24\\par\n')], [/<h4[^>]*>(.*?)<\/h4>/gi, wrap('\\fs28\\b ', '\\b0\\fs24\\par\n')],
  [/<h5[^>]*>(.*?)<\/h5>/gi, wrap('\\fs26\\b ', '\\b0\\fs24\\par\n')], [/<h6[^>]*>(.*?)<\/h6>/gi, wrap('\\fs24\\b ', '\\b0\\fs24\\par\n')],
  [/<strong[^>]*>(.*?)<\/strong>/gi, wrap('\\b ', '\\b0 ')], [/<b[^>]*>(.*?)<\/b>/gi, wrap('\\b ', '\\b0 ')],
  [/<em[^>]*>(.*?)<\/em>/gi, wrap('\\i ', '\\i0 ')], [/<i[^>]*>(.*?)<\/i>/gi, wrap('\\i ', '\\i0 ')],
  [/<code[^>]*>(.*?)<\/code>/gi, wrap('\\f1 ', '\\f0 ')], [/<pre[^>]*>(.*?)<\/pre>/gi, wrap('\\f1\\par\n', '\\par\n\\f0 ')],
  [/<a[^>]*href=["']([^"']*)["'][^>]*>(.*?)<\/a>/gi, (_, href, text) => `${rtfEscape(decode(text))} (${rtfEscape(href)})`],
  [/<li[^>]*data-type=["']taskItem["'][^>]*data-checked=["']true["'][^>]*>(.*?)<\/li>/gi, wrap('[x] ', '\\par\n')],
  [/<li[^>]*data-type=["']taskItem["'][^>]*data-checked=["']false["'][^>]*>(.*?)<\/li>/gi, wrap('[ ] ', '\\par\n')],
  [/<li[^>]*data-type=["']taskItem["'][^>]*>(.*?)<\/li>/gi, wrap('[ ] ', '\\par\n')],
  [/<ul[^>]*>/gi, () => ''], [/<\/ul>/gi, () => '\\par\n'], [/<ol[^>]*>/gi, () => ''], [/<\/ol>/gi, () => '\\par\n'],
  [/<li[^>]*>(.*?)<\/li>/gi, wrap('\\bullet  ', '\\par\n')],
  [/<p[^>]*>/gi, () => ''], [/<\/p>/gi, () => '\\par\n'], [/<br\s*\/?>/gi, () => '\\line\n'],
  [/<blockquote[^>]*>(.*?)<\/blockquote>/gi, wrap('\\li720 ', '\\li0\\par\n')],
  [/<img[^>]*alt=["']([^"']*)["'][^>]*\/?>/gi, (_, alt) => `[Image: ${rtfEscape(alt)}]`],
  [/<img[^>]*src=["']([^"']*)["'][^>]*\/?>/gi, (_, src) => `[Image: ${rtfEscape(src)}]`],
  [/<hr[^>]*\/?>/gi, () => '\\par\n\\brdrb\\brdrs\\par\n'],
  [/<[^>]*>/g, () => '']
]

const htmlToRtf = (html) => RTF_RULES.reduce((s, [re, f]) => s.replace(re, f), html)

const RTF_HEAD = '{\\rtf1\\ansi\\ansicpg1252\\deff0\\deflang1033{\\fonttbl{\\f0\\fnil\\fcharset0 Arial;}{\\f1\\fmodern\\fcharset0 Courier New;}}' +
  '{\\colortbl;\\red128\\green128\\blue128;\\red0\\green0\\blue0;}\\viewkind4\\uc1\\pard\\sa200\\sl276\\slmult1\\f0\\fs24\n'

function entityToRtf (e, related) {
  const meta = [`Created: ${new Date(e.created).toISOString()}`, `Last Edited: ${new Date(e.lastEdited).toISOString()}`, `Type: ${e.data.type}`]
  if (e.data.type === 'html') {
    if (e.data.backgroundColor) meta.push(`Background Color: ${e.data.backgroundColor}`)
    if (e.data.tags && e.data.tags.length > 0) meta.push(`Tags: ${e.data.tags.join(', ')}`)
    if (related.length > 0 && emojiNames(related)) meta.push(`Emojis: ${emojiNames(related)}`)
  }
  let r = RTF_HEAD + '\\cf1\\fs20\n' + meta.map(x => rtfEscape(x) + '\\par\n').join('') + '\\cf2\\fs24\n' + '\\brdrb\\brdrs\\par\n'
  if (e.data.type === 'html') {
    r += htmlToRtf(e.data.content || '')
    if (related.length > 0) {
      r += '\\par\n\\brdrb\\brdrs\\par\n\\b Emojis\\b0\\par\n' + related.map(x => rtfEscape(x.data.content) + ' ').join('') + '\\par\n'
    }
  } else if (e.data.type === 'emoji') {
    r += '\\fs48 ' + rtfEscape(e.data.content) + '\\fs24\\par\n'
  } else {
    r += rtfEscape(`Connection from ${e.data.from || 'unknown'} to ${e.data.to || 'unknown'}`)
  }
  return r + '}'
}

function combinedRtf (microcosmId, at, identities, list) {
  let r = RTF_HEAD + '\\fs56\\b Microcosm Export\\b0\\fs24\\par\n' + '\\cf1\\fs20\n' +
    rtfEscape(`Microcosm ID: ${microcosmId}`) + '\\par\n' + rtfEscape(`Generated: ${at}`) + '\\par\n' +
    rtfEscape(`Total Entities: ${list.length}`) + '\\par\n' + rtfEscape(`Total Identities: ${identities}`) + '\\par\n' +
    '\\cf2\\fs24\n' + '\\brdrb\\brdrs\\par\n'
  list.forEach((f, i) => {
    const m = f.content.match(/\\viewkind4\\uc1\\pard\\sa200\\sl276\\slmult1\\f0\\fs24\n/)
    if (m && m.index !== undefined) {
      r += f.content.substring(m.index + m[0].length).replace(/\}$/, '').trim()
      if (i < list.length - 1) r += '\\par\n\\page\n'
    }
  })
  return r + '\n}'
}

function rtfManifest (microcosmId, at, identities, names) {
  return `# Microcosm RTF Export Manifest

**Microcosm ID:** ${microcosmId}
**Generated:** ${at}
**App Version:** ${APP_VERSION}
**Total Identities:** ${identities}
**Total Files:** ${names.length}

## Files

- all-entities.rtf (Combined document with all entities)
${names.map(n => `- ${n}`).join('\n')}

## Instructions

This export contains ${names.length + 1} RTF (Rich Text Format) files from your microcosm:

1. **all-nodes.rtf** - A single document containing all entities, separated by page breaks
2. **Individual entity files** - Each entity exported as a separate RTF file

Each file contains:
- Metadata header with entity information (created, lastEdited, type)
- The original content preserved in RTF format
- Rich text formatting (bold, italic, headers, lists, etc.)

RTF files can be opened in:
- Microsoft Word
- Apple Pages
- LibreOffice Writer
- Google Docs (upload and convert)
- Most word processors
`
}

async function zipOf (entries) {
  const zip = new JSZip()
  for (const [name, content] of entries) zip.file(name, content)
  return (await zip.generateAsync({ type: 'nodebuffer' })).toString('base64')
}

const input = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const doc = new Y.Doc()
Y.applyUpdate(doc, Buffer.from(input.update, 'base64'))
const m = api(doc)
const at = new Date(input.generatedAt).toISOString()
const identity = input.identityId ?? m.collections()[0]
const md = files(m, 'md', entityToMarkdown)
const rtf = files(m, 'rtf', entityToRtf)
const mdNames = md.out.map(f => f.filename)
const rtfNames = rtf.out.map(f => f.filename)
const out = {
  collections: m.collections(),
  jsonIdentity: identity ?? null,
  json: identity ? exportJson(m, input.microcosmId, identity, input.generatedAt) : null,
  markdown: {
    name: `microcosm-${input.microcosmId}-markdown-${day(input.generatedAt)}.zip`,
    zip: await zipOf([['README.md', mdManifest(input.microcosmId, at, md.identities, mdNames)], ...md.out.map(f => [f.filename, f.content])])
  },
  rtf: {
    name: `microcosm-${input.microcosmId}-rtf-${day(input.generatedAt)}.zip`,
    zip: await zipOf([['README.txt', rtfManifest(input.microcosmId, at, rtf.identities, rtfNames)],
      ['all-nodes.rtf', combinedRtf(input.microcosmId, at, rtf.identities, rtf.out)], ...rtf.out.map(f => [f.filename, f.content])])
  }
}
process.stdout.write(JSON.stringify(out))
