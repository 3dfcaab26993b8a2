// Whether the head of a file of unknown type reads as delimited numbers (used by openSource for
// files whose extension says nothing): no NUL bytes, and after an optional header line the sampled
// data lines split into numbers only.

import { sampleLines, scanLine, sniffCsvDialect } from './sniff-csv-dialect';

export function looksLikeDelimitedNumbers(head: Uint8Array, complete: boolean): boolean {
  if (head.includes(0)) return false;
  const start = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  let t = head.subarray(start);
  if (!complete) t = t.subarray(0, t.lastIndexOf(10) + 1);
  const lines = sampleLines(t, 50, true, -3);
  const d = sniffCsvDialect(t, lines, {});
  if ('problem' in d) return false;
  const data = lines.slice(d.header ? 1 : 0);
  if (data.length === 0) return false;
  return data.every(l => { const f = scanLine(t, l, d.delim); return f.numeric === f.fields; });
}
