// The microcosm layout of docs/automerge-layout.md (version 1) for JavaScript apps on @automerge/automerge 3.x:
// a reader and writers, written from the document only (no Java involved). The Java tests run this against
// AutomergeMicrocosm to prove that both sides read and write the same documents.
import * as A from "@automerge/automerge";

export const LAYOUT_VERSION = 1;
const ENTITY_ID = /^e[0-9A-Za-z]{16}$/;
const IDENTITY_ID = /^@[0-9A-Za-z]{16}$/;

/** A plain JS value from an Automerge value: text and ImmutableString become strings; maps and lists copied. */
function plain(v) {
  if (v === null || v === undefined) return v;
  if (v instanceof A.ImmutableString) return v.val;
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof Uint8Array) return { unreadable: "bytes" };
  if (typeof v === "object") {
    if (typeof v.value === "number" && Object.keys(v).length === 1) return v.value; // Counter
    if (v instanceof Date) return v.getTime();
    const out = {};
    for (const [k, x] of Object.entries(v)) out[k] = plain(x);
    return out;
  }
  return { unreadable: typeof v };
}

function num(m, k, errors) {
  const v = m[k];
  if (typeof v !== "number" || Number.isNaN(v)) errors.push(`${k} must be a number`);
  return v;
}

function str(m, k, errors, optional) {
  if (!(k in m)) {
    if (!optional) errors.push(`${k} is required`);
    return undefined;
  }
  if (typeof m[k] !== "string") errors.push(`${k} must be a string`);
  return m[k];
}

/** Validates one entity record read from key `location`; returns [entity, null] or [null, reason]. */
export function decodeEntity(location, record) {
  const e = plain(record);
  const errors = [];
  if (typeof e !== "object" || e === null || Array.isArray(e)) return [null, "an entity must be a map"];
  if (e.version !== "1") errors.push('version must be "1"');
  if (!ENTITY_ID.test(e.id ?? "")) errors.push("id must be an entity id");
  if (!IDENTITY_ID.test(e.identity_id ?? "")) errors.push("identity_id must be an identity id");
  num(e, "created", errors);
  num(e, "lastEdited", errors);
  const d = e.data;
  if (typeof d !== "object" || d === null) return [null, "data must be a map"];
  const data = { type: d.type };
  if (d.type === "html") {
    for (const k of ["x", "y", "width", "height"]) data[k] = num(d, k, errors);
    data.content = str(d, "content", errors, false);
    if ("backgroundColor" in d) data.backgroundColor = str(d, "backgroundColor", errors, true);
    if ("tags" in d) {
      if (!Array.isArray(d.tags) || d.tags.some(t => typeof t !== "string")) errors.push("tags must be strings");
      else data.tags = d.tags.map(t => t.trim().toLowerCase());
    }
  } else if (d.type === "connection") {
    for (const k of ["from", "to"]) if (k in d) data[k] = str(d, k, errors, true);
  } else if (d.type === "emoji") {
    data.content = str(d, "content", errors, false);
    data.x = num(d, "x", errors);
    data.y = num(d, "y", errors);
    if ("parentNodeId" in d) data.parentNodeId = str(d, "parentNodeId", errors, true);
  } else {
    errors.push("data.type must be html, connection or emoji");
  }
  if (errors.length === 0 && `${e.identity_id}:${e.id}` !== location) errors.push(`stored under ${location}`);
  if (errors.length) return [null, errors.join("; ")];
  return [{ id: e.id, identity_id: e.identity_id, version: "1", created: Math.floor(e.created),
    lastEdited: Math.floor(e.lastEdited), data }, null];
}

/**
 * Reads a microcosm: registered identities, valid entities by EntityLocation ("@identity/eEntity"; stored under
 * the root key "@identity:eEntity"), and what was skipped (with reasons).
 */
export function readMicrocosm(doc) {
  const identities = new Set();
  const entities = {};
  const invalid = [];
  for (const [key, value] of Object.entries(doc)) {
    if (IDENTITY_ID.test(key)) {
      if (value === true) identities.add(key);
      continue;
    }
    const sep = key.indexOf(":");
    if (sep < 0 || !IDENTITY_ID.test(key.slice(0, sep)) || !ENTITY_ID.test(key.slice(sep + 1))) continue;
    const [entity, reason] = decodeEntity(key, value);
    if (entity) {
      entities[`${entity.identity_id}/${entity.id}`] = entity; // the web app's EntityLocation
      identities.add(entity.identity_id);
    } else invalid.push({ key, reason });
  }
  return {
    layoutVersion: doc.layout_version,
    microcosmId: plain(doc.microcosm_id),
    identities: [...identities].sort(),
    entities,
    invalid,
  };
}

/** Inside A.change: registers `identityId` (and the layout keys if missing). */
export function register(d, microcosmId, identityId) {
  if (d[identityId] !== true) d[identityId] = true;
  if (d.nodenogg === undefined) d.nodenogg = new A.ImmutableString("microcosm");
  if (d.layout_version === undefined) d.layout_version = LAYOUT_VERSION;
  if (d.microcosm_id === undefined) d.microcosm_id = new A.ImmutableString(microcosmId);
}

function scalar(v) {
  return typeof v === "string" ? new A.ImmutableString(v) : v;
}

/** Inside A.change: writes a new entity (E5 shape) under its location. Note HTML becomes text. */
export function createEntity(d, e) {
  const data = {};
  for (const [k, v] of Object.entries(e.data)) {
    if (v === undefined || v === null) continue;
    if (k === "content" && e.data.type === "html") data[k] = v; // a plain string is text in automerge 3
    else if (Array.isArray(v)) data[k] = v.map(scalar);
    else data[k] = scalar(v);
  }
  d[`${e.identity_id}:${e.id}`] = {
    id: new A.ImmutableString(e.id),
    identity_id: new A.ImmutableString(e.identity_id),
    version: new A.ImmutableString("1"),
    created: e.created,
    lastEdited: e.lastEdited,
    data,
  };
}

/** The root key of an entity ("@identity:eEntity") from its EntityLocation ("@identity/eEntity") or key. */
export function keyOf(location) {
  return location.replace("/", ":");
}

/** Inside A.change: changes only the given data fields (null removes one) and bumps lastEdited. */
export function updateEntity(d, location, changes, now) {
  location = keyOf(location);
  const e = d[location];
  if (!e) return false;
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) delete e.data[k];
    else if (k === "content" && plain(e.data.type) === "html" && typeof e.data.content === "string") {
      A.updateText(d, [location, "data", "content"], v);
    } else if (Array.isArray(v)) e.data[k] = v.map(scalar);
    else e.data[k] = scalar(v);
  }
  e.lastEdited = Math.max(now, (e.lastEdited ?? 0) + 1);
  return true;
}

/** Inside A.change: deletes an entity. */
export function deleteEntity(d, location) {
  location = keyOf(location);
  if (!(location in d)) return false;
  delete d[location];
  return true;
}

/** The automerge-repo document id of a microcosm (docs/automerge-layout.md, "Finding the document"). */
export async function documentIdOf(microcosmId, binaryToDocumentId) {
  const bytes = new TextEncoder().encode("nodenogg.in/microcosm/" + microcosmId);
  const id = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)).slice(0, 16);
  id[6] = (id[6] & 0x0f) | 0x80; // a version 8 (custom) UUID, as automerge-repo 1.x requires UUIDs
  id[8] = (id[8] & 0x3f) | 0x80;
  return binaryToDocumentId(id);
}
