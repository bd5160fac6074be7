// Server process metrics from /proc (Linux): CPU seconds (utime+stime) and resident memory.
import { readFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'

const TICKS = 100 // getconf CLK_TCK on Linux x86-64/arm64

export function cpuSeconds (pid) {
  if (!pid) return NaN
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(f[11]) + Number(f[12])) / TICKS // fields 14, 15 (utime, stime)
}

export function rssKiB (pid) {
  if (!pid) return NaN
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return m ? Number(m[1]) : NaN
}

/** Asks the server to collect garbage: jcmd for a JVM, SIGUSR2 for our Node reference script. */
export function requestGc (pid, kind) {
  if (!pid) return
  try {
    if (kind === 'java') execFileSync('jcmd', [String(pid), 'GC.run'], { stdio: 'ignore', timeout: 20000 })
    else process.kill(pid, 'SIGUSR2')
  } catch (e) {
    console.error(`syncbench: could not request a GC in ${pid}: ${e.message}`)
  }
}

/** GC twice, wait, then read RSS (KiB). */
export async function settledRss (pid, kind) {
  if (!pid) return NaN
  requestGc(pid, kind)
  await sleep(1000)
  requestGc(pid, kind)
  await sleep(1500)
  return rssKiB(pid)
}

export const sleep = (ms) => new Promise(resolve => setTimeout(resolve, ms))
