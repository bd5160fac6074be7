// Test oracle for the Java Earthstar module: runs a list of operations against the real earthstar 10.2.2
// (LGPL-3.0, used only as a test oracle, never shipped) and prints one JSON array of results.
// Input (stdin): a JSON array of {op, ...}. Each result is {ok: value} or {error: message}.
import * as E from "earthstar";
// xxhash64 is not exported by the package; load the file the syncer itself uses.
const { XXH64 } = await import(new URL("./node_modules/earthstar/esm/src/util/xxhash64.js", import.meta.url));

const hex = (bytes) => Buffer.from(bytes).toString("hex");
const unhex = (s) => new Uint8Array(Buffer.from(s, "hex"));

async function run(req) {
  switch (req.op) {
    case "base32encode": return E.base32BytesToString(unhex(req.hex));
    case "base32decode": return hex(E.base32StringToBytes(req.str));
    case "sha256base32": return await E.Crypto.sha256base32(req.text);
    case "xxh64": return new XXH64().update(req.text).digest().toString(16);
    case "authorKeypair": return await E.Crypto.generateAuthorKeypair(req.name);
    case "shareKeypair": return await E.Crypto.generateShareKeypair(req.name);
    case "checkKeypair": return E.Crypto.checkKeypairIsValid(req.keypair);
    case "sign": return await E.Crypto.sign(req.keypair, req.message);
    case "verify": return await E.Crypto.verify(req.address, req.signature, req.message);
    case "hash": return await E.FormatEs5.hashDocument(req.doc);
    case "signDocument": return await E.FormatEs5.signDocument(req.keypair, req.doc, { shareSecret: req.shareSecret });
    case "validate": {
      const cleaned = E.FormatEs5.removeExtraFields(req.doc);
      if (E.isErr(cleaned)) return cleaned;
      return await E.FormatEs5.checkDocumentIsValid(cleaned.doc, req.now);
    }
    case "checkAuthor": return E.checkAuthorIsValid(req.address);
    case "checkShare": return E.checkShareIsValid(req.address);
    default: throw new Error("unknown op " + req.op);
  }
}

let input = "";
for await (const chunk of process.stdin) input += chunk;
const out = [];
for (const req of JSON.parse(input)) {
  try {
    const v = await run(req);
    out.push(E.isErr(v) ? { error: v.message } : { ok: v });
  } catch (e) {
    out.push({ error: String(e && e.message || e) });
  }
}
process.stdout.write(JSON.stringify(out));
process.exit(0);
