// Generates the inputs of the crdt-benchmarks B1-B3 cases (definitions as in dmonad/crdt-benchmarks,
// N = 6000, lib0 prng seeded 42) as one JSON file, so that the Java runner and every JS engine replay
// exactly the same operations.     node js/bench/suite-gen.mjs OUT.json [N]
//
// Format: { n, cases: [ {id, title, kind: 'B1'|'B2'|'B3', type: 'text'|'array'|'map', ...} ] }
//   B1: ops: [[pos, del, ins]] one transaction each (ins: string for text, number[] for array); expect
//   B2: init (text both docs start from), ops1, ops2 (each side's ops run in one transaction), expectLength
//   B3: clients, op: 'setNumber'|'setObject'|'setString'|'insertArray'|'insertText' (client i's value from i)
import * as prng from 'lib0/prng'
import { writeFileSync } from 'node:fs'

const out = process.argv[2]
const N = Number(process.argv[3] || 6000)
if (!out) { console.error('usage: suite-gen.mjs OUT.json [N]'); process.exit(2) }
const gen = prng.create(42)
const cases = []
const b1 = (id, title, type, ops, expect) => cases.push({ id, title, kind: 'B1', type, ops, expect })

{ const s = prng.word(gen, N, N); b1('B1.1', 'Append N characters', 'text', s.split('').map((c, i) => [i, 0, c]), s) }
{ const s = prng.word(gen, N, N); b1('B1.2', 'Insert string of length N', 'text', [[0, 0, s]], s) }
{
  const s = prng.word(gen, N, N)
  b1('B1.3', 'Prepend N characters', 'text', s.split('').reverse().map(c => [0, 0, c]), s)
}
{
  let s = ''; const ops = []
  for (let i = 0; i < N; i++) {
    const index = prng.int32(gen, 0, s.length); const ins = prng.word(gen, 1, 1)
    s = s.slice(0, index) + ins + s.slice(index); ops.push([index, 0, ins])
  }
  b1('B1.4', 'Insert N characters at random positions', 'text', ops, s)
}
{
  let s = ''; const ops = []
  for (let i = 0; i < N; i++) {
    const index = prng.int32(gen, 0, s.length); const ins = prng.word(gen, 2, 10)
    s = s.slice(0, index) + ins + s.slice(index); ops.push([index, 0, ins])
  }
  b1('B1.5', 'Insert N words at random positions', 'text', ops, s)
}
{ const s = prng.word(gen, N, N); b1('B1.6', 'Insert string, then delete it', 'text', [[0, 0, s], [0, s.length, '']], '') }
{
  let s = ''; const ops = []
  for (let i = 0; i < N; i++) {
    const index = prng.uint32(gen, 0, s.length)
    if (s.length === index || prng.bool(gen)) {
      const ins = prng.word(gen, 2, 10); s = s.slice(0, index) + ins + s.slice(index); ops.push([index, 0, ins])
    } else {
      const del = prng.uint32(gen, 1, Math.min(9, s.length - index))
      s = s.slice(0, index) + s.slice(index + del); ops.push([index, del, ''])
    }
  }
  b1('B1.7', 'Insert/Delete strings at random positions', 'text', ops, s)
}
const nums = () => Array.from({ length: N }).map(() => prng.uint32(gen, 0, 0x7fffffff))
{ const xs = nums(); b1('B1.8', 'Append N numbers', 'array', xs.map((x, i) => [i, 0, [x]]), xs) }
{ const xs = nums(); b1('B1.9', 'Insert Array of N numbers', 'array', [[0, 0, xs]], xs) }
{ const xs = nums(); b1('B1.10', 'Prepend N numbers', 'array', xs.map(x => [0, 0, [x]]), xs.slice().reverse()) }
{
  const xs = []; const ops = []
  for (let i = 0; i < N; i++) {
    const index = prng.uint32(gen, 0, xs.length); const x = prng.uint32(gen, 0, 0x7fffffff)
    xs.splice(index, 0, x); ops.push([index, 0, [x]])
  }
  b1('B1.11', 'Insert N numbers at random positions', 'array', ops, xs)
}

const initText = prng.word(gen, 100, 100)
const b2 = (id, title, ops1, ops2, expectLength) => cases.push({ id, title, kind: 'B2', type: 'text', init: initText, ops1, ops2, expectLength })
{ b2('B2.1', 'Concurrently insert string of length N at index 0', [[0, 0, prng.word(gen, N, N)]], [[0, 0, prng.word(gen, N, N)]], N * 2 + 100) }
const randomInserts = (min, max) => {
  let s = initText; const ops = []
  for (let i = 0; i < N; i++) {
    const index = prng.uint32(gen, 0, s.length); const ins = prng.word(gen, min, max)
    s = s.slice(0, index) + ins + s.slice(index); ops.push([index, 0, ins])
  }
  return ops
}
{ b2('B2.2', 'Concurrently insert N characters at random positions', randomInserts(1, 1), randomInserts(1, 1), N * 2 + 100) }
{ b2('B2.3', 'Concurrently insert N words at random positions', randomInserts(3, 9), randomInserts(3, 9), -1) }
{
  const genInput = () => {
    let s = initText; const ops = []
    for (let i = 0; i < N; i++) {
      const index = prng.uint32(gen, 0, s.length); const ins = prng.word(gen, 3, 9)
      s = s.slice(0, index) + ins + s.slice(index); ops.push([index, 0, ins])
      if (s.length === index || prng.bool(gen)) {
        const ins2 = prng.word(gen, 2, 10); s = s.slice(0, index) + ins2 + s.slice(index); ops.push([index, 0, ins2])
      } else {
        const del = prng.uint32(gen, 1, Math.min(9, s.length - index))
        s = s.slice(0, index) + s.slice(index + del); ops.push([index, del, ''])
      }
    }
    return ops
  }
  b2('B2.4', 'Concurrently insert & delete', genInput(), genInput(), -1)
}

const clients = Math.floor(Math.sqrt(N)) * 20
const b3 = (id, title, type, op) => cases.push({ id, title, kind: 'B3', type, clients, op })
b3('B3.1', '20√N clients concurrently set number in Map', 'map', 'setNumber')
b3('B3.2', '20√N clients concurrently set Object in Map', 'map', 'setObject')
b3('B3.3', '20√N clients concurrently set String in Map', 'map', 'setString')
b3('B3.4', '20√N clients concurrently insert text in Array', 'array', 'insertArray')
b3('B3.5', '20√N clients concurrently insert text', 'text', 'insertText')

writeFileSync(out, JSON.stringify({ n: N, cases }))
console.error(`wrote ${cases.length} cases (N=${N}, B3 clients=${clients}) to ${out}`)
