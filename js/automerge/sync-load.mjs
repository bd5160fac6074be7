// Load on an automerge-repo sync server: N automerge-repo 2.5.6 clients (one Node process) on one document, edits
// at a fixed total rate, each edit one change by one client (round robin) writing its send time; every other client
// records when it sees it. Usage: node sync-load.mjs ws://host:port/path clients rate seconds serverPid
// Prints {clients, rate, seconds, edits, deliveries, p50Ms, p99Ms, maxMs, serverCpuPct, clientCpuPct}.
import { readFileSync } from "node:fs";
import { connect, acknowledged, until, sleep } from "./repo-common.mjs";

const [url, clientsArg = "50", rateArg = "200", secondsArg = "20", pid] = process.argv.slice(2);
const N = Number(clientsArg), rate = Number(rateArg), seconds = Number(secondsArg);
const ticks = () => { // utime + stime of the server process, in clock ticks (100/s)
  if (!pid) return 0;
  const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return Number(f[11]) + Number(f[12]);
};
const clients = [];
for (let i = 0; i < N; i++) clients.push(await connect(url));
const first = clients[0].repo.create({ start: Date.now() });
await acknowledged(clients[0], first);
const handles = [first];
for (let i = 1; i < N; i++) handles.push(await clients[i].repo.find(first.url));
const latencies = [];
let measuring = false;
handles.forEach((h, me) => {
  const seen = {};
  h.on("change", ({ doc }) => {
    const now = Date.now();
    for (let k = 0; k < N; k++) {
      if (k === me) continue;
      const t = doc["t" + k];
      if (t !== undefined && t !== seen[k]) {
        seen[k] = t;
        if (measuring) latencies.push(now - t);
      }
    }
  });
});
await sleep(1000);
measuring = true;
const cpu0 = ticks(), usage0 = process.cpuUsage(), t0 = Date.now();
let edits = 0;
const interval = 1000 / rate;
let next = performance.now();
while (Date.now() - t0 < seconds * 1000) {
  const k = edits % N;
  handles[k].change(d => { d["t" + k] = Date.now(); });
  edits++;
  next += interval;
  const wait = next - performance.now();
  if (wait > 0) await sleep(wait); else if (edits % 20 === 0) await sleep(0);
}
await sleep(2000); // let the last edits arrive
measuring = false;
const wall = (Date.now() - t0) / 1000;
const serverCpuPct = pid ? (ticks() - cpu0) / 100 / wall * 100 : null;
const u = process.cpuUsage(usage0);
latencies.sort((a, b) => a - b);
const q = p => latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] : null;
console.log(JSON.stringify({ clients: N, rate, seconds, edits, deliveries: latencies.length,
  expected: edits * (N - 1), p50Ms: q(0.5), p99Ms: q(0.99), maxMs: latencies.at(-1),
  serverCpuPct, clientCpuPct: (u.user + u.system) / 1e3 / wall / 10 }));
for (const c of clients) c.close();
setTimeout(() => process.exit(0), 300);
