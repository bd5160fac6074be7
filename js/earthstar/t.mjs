import * as E from "earthstar";
const share = await E.Crypto.generateShareKeypair("test");
const author = await E.Crypto.generateAuthorKeypair("suzy");
console.log(share, author);
const r = new E.Replica({driver: new E.ReplicaDriverMemory(share.shareAddress), shareSecret: share.secret});
const res = await r.set(author, {path: "/hello", text: "hi"});
console.log(res.kind, JSON.stringify(res.doc));
console.log((await r.getAllDocs()).map(d=>JSON.stringify(d)));
