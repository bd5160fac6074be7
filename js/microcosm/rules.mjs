// The web app's read rules (microcosm-spec.md §1.6/§1.7 valibot schemas, §3 rules 1-4, §4.4
// awareness), written independently of the Java code. Shared by check-doc.mjs and app-peer.mjs.
import * as Y from 'yjs'

export function makeRules (era, errors) {
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

  /** Every collection listed in `identities`, validated; returns {identityId: {entityId: content}}. */
  function checkCollections (doc) {
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
    return collections
  }

  /** The awareness `identity` fields of every client except `selfId`, validated. */
  function checkPresence (states, selfId) {
    const presence = []
    for (const [clientId, state] of states) {
      if (clientId === selfId) continue
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
    return presence
  }

  return { checkCollections, checkPresence, ENTITY_ID, IDENTITY_ID }
}
