// Whether the head of a file of unknown type reads as delimited numbers (used by openSource for
// files whose extension says nothing): no NUL bytes, and after an optional header line the sampled
// data lines split into numbers only.

import { splitLine } from './csv-fields';
import { numberStatus, parseCsvNumber } from './csv-number';
import { sampleLines, sniffCsvDialect } from './sniff-csv-dialect';

export function looksLikeDelimitedNumbers(head: Uint8Array, complete: boolean): boolean {
  if (head.includes(0)) return false;
  const start = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  let t = Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString('latin1', start);
  if (!complete) t = t.slice(0, t.lastIndexOf('\n') + 1);
  const lines = sampleLines(t, 50, true, -3);
  const d = sniffCsvDialect(t, lines, {});
  if ('problem' in d) return false;
  const data = lines.slice(d.header ? 1 : 0);
  if (data.length === 0) return false;
  return data.every(l => splitLine(t, l.start, l.end, d.delim).texts.every(s => {
    parseCsvNumber(s, 0, s.length);
    return numberStatus.ok;
  }));
}
