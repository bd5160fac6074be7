// Paired per-repetition ratios (ours ÷ Hocuspocus, measured back to back) from a sync-bench results file:
//   node js/syncbench/ratios.cjs benchmarks/target/sync-bench/results.jsonl
const f=process.argv[2]; const L=require("fs").readFileSync(f,"utf8").trim().split("\n").map(JSON.parse); const meta=L.filter(x=>x.meta); const R=L.filter(x=>!x.meta)
const by=(sc,srv,rep)=>R.find(x=>x.result.scenario===sc&&x.server===srv&&x.rep===rep)
const reps=[...new Set(R.map(x=>x.rep))]
const med=a=>{a=a.filter(x=>isFinite(x)).sort((x,y)=>x-y); return a.length? (a.length%2?a[(a.length-1)/2]:(a[a.length/2-1]+a[a.length/2])/2):NaN}
const s=a=>{a=a.filter(x=>isFinite(x)); return `median ${med(a).toFixed(2)} [${Math.min(...a).toFixed(2)}–${Math.max(...a).toFixed(2)}] n=${a.length}`}
for (const srv of ["ours-mem","ours-sqlite"]) {
  const fo=reps.map(r=>[by("fanout",srv,r),by("fanout","hocuspocus",r)]).filter(([a,b])=>a&&b)
  if (fo.length){
  console.log(srv,"fanout msgs/delivery ratio", s(fo.map(([a,b])=>a.result.updateMsgsPerDelivery/b.result.updateMsgsPerDelivery)))
  console.log(srv,"fanout CPU ratio", s(fo.map(([a,b])=>a.result.serverCpuPct/b.result.serverCpuPct)))
  console.log(srv,"fanout p99 ratio", s(fo.map(([a,b])=>a.result.p99/b.result.p99)))
  console.log(srv,"ack p50 vs hocus ack p50", s(fo.map(([a,b])=>a.result.ackP50/b.result.ackP50)))
  console.log(srv,"abs msgs/deliv", s(fo.map(([a])=>a.result.updateMsgsPerDelivery)), "hocus", s(fo.map(([,b])=>b.result.updateMsgsPerDelivery)))
  console.log(srv,"abs ack p50", s(fo.map(([a])=>a.result.ackP50)), "hocus", s(fo.map(([,b])=>b.result.ackP50)))
  console.log(srv,"loads", fo.map(([a,b])=>a.load+"/"+b.load).join(" "))}
  const jo=reps.map(r=>[by("join",srv,r),by("join","hocuspocus",r)]).filter(([a,b])=>a&&b)
  if (jo.length){
  console.log(srv,"join RSS after joins ratio", s(jo.map(([a,b])=>a.result.rssAfterJoinsMiB/b.result.rssAfterJoinsMiB)), "abs", s(jo.map(([a])=>a.result.rssAfterJoinsMiB)), "hocus", s(jo.map(([,b])=>b.result.rssAfterJoinsMiB)))
  console.log(srv,"join RSS after GC ratio", s(jo.map(([a,b])=>a.result.rssAfterJoinsGcMiB/b.result.rssAfterJoinsGcMiB)))
  console.log(srv,"join RSS growth during joins (after-before) MiB", s(jo.map(([a])=>a.result.rssAfterJoinsMiB-a.result.rssBeforeJoinsMiB)), "hocus", s(jo.map(([,b])=>b.result.rssAfterJoinsMiB-b.result.rssBeforeJoinsMiB)))
  console.log(srv,"join median ms ratio", s(jo.map(([a,b])=>a.result.medianMs/b.result.medianMs)))}
}
console.log("meta", JSON.stringify(meta))
