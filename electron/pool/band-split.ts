// Splits rows [0, rows) into at most `bands` contiguous, nearly equal row bands.

export function splitRows(rows: number, bands: number): Array<[number, number]> {
  const n = Math.max(1, Math.min(Math.floor(bands) || 1, rows));
  if (rows <= 0) return [[0, 0]];
  const out: Array<[number, number]> = [];
  for (let k = 0; k < n; k++) {
    const start = Math.floor((rows * k) / n);
    const end = Math.floor((rows * (k + 1)) / n);
    if (end > start) out.push([start, end]);
  }
  return out;
}
