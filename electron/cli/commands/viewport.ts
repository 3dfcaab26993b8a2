// `matrix-explorer viewport` — the block-aggregate raster the app draws for a rectangle.
import type { CliCommand } from '../command';
import { UsageError } from '../command';
import { checkIndex, expectPositionals, fmt, parseArgs, parseInteger, toJson, withTarget } from './query-support';

const usage = `Usage: matrix-explorer viewport <input> R0 C0 R1 C1 [--width W] [--height H] [--json]

What the app draws for rows [R0, R1) × columns [C0, C1) (0-based, end exclusive) at W × H pixels:
a raster of block aggregates (min, max, mean, count of finite values per cell), read from the
store's pyramid, aligned to the block grid, never more than W × H cells.

<input>      a matrix file (.mtx, .mm, .npy, .csv, .tsv, .txt) or a converted store (.mxstore)
--width W    raster width in pixels (default 64)
--height H   raster height in pixels (default 64)
--json       print {"block","rowStart","colStart","rows","cols","min","max","mean","count"}, arrays
             row-major, NaN (cells without a finite value) as null

Examples:
  matrix-explorer viewport data/hic.npy 0 0 20000 20000 --width 800 --height 800 --json
  matrix-explorer viewport data/west0479.mtx 0 0 479 479 --width 16 --height 16`;

export const viewportCommand: CliCommand = {
  name: 'viewport',
  summary: 'block-aggregate raster of a rectangle (what the app draws)',
  usage,
  async run(args, io) {
    const p = parseArgs(args, { '--width': 1, '--height': 1, '--json': 0 });
    const [a, b, c, d] = expectPositionals(p, ['R0', 'C0', 'R1', 'C1']);
    const r0 = parseInteger('R0', a, 0), c0 = parseInteger('C0', b, 0), r1 = parseInteger('R1', c, 0), c1 = parseInteger('C1', d, 0);
    const width = parseInteger('--width', p.value('--width') ?? '64', 1);
    const height = parseInteger('--height', p.value('--height') ?? '64', 1);
    if (width * height > 16e6) throw new UsageError(`--width × --height is too large (${width * height} cells; at most 16000000)`);
    return withTarget(p.positionals[0], io, { helpers: 0 }, async t => {
      checkIndex(t, 'row', r0, t.shape[0]);
      checkIndex(t, 'column', c0, t.shape[1]);
      if (r1 <= r0 || r1 > t.shape[0]) throw new UsageError(`R1 must be in (${r0}, ${t.shape[0]}], got ${r1}`);
      if (c1 <= c0 || c1 > t.shape[1]) throw new UsageError(`C1 must be in (${c0}, ${t.shape[1]}], got ${c1}`);
      const v = await t.query('viewport', { r0, c0, r1, c1, width, height });
      if (p.flag('--json')) { io.out(toJson(v)); return 0; }
      const lines = [
        `${t.input}: rows ${r0}..${r1 - 1} × cols ${c0}..${c1 - 1} → ${v.rows} × ${v.cols} cells of ${v.block} × ${v.block}, from row ${v.rowStart}, col ${v.colStart}`,
      ];
      let lo = Infinity, hi = -Infinity, cells = 0;
      for (let k = 0; k < v.mean.length; k++) if (Number.isFinite(v.min[k])) { lo = Math.min(lo, v.min[k]); hi = Math.max(hi, v.max[k]); cells++; }
      lines.push(`cells with finite values: ${cells} of ${v.rows * v.cols}; min ${fmt(cells ? lo : null)}, max ${fmt(cells ? hi : null)}`);
      if (v.cols <= 16 && v.rows <= 32) {
        lines.push('', 'mean per cell:');
        for (let r = 0; r < v.rows; r++) {
          lines.push(Array.from(v.mean.subarray(r * v.cols, (r + 1) * v.cols), x => fmt(x).padStart(10)).join(' '));
        }
      } else {
        lines.push('(use --json for the cell values)');
      }
      io.out(lines.join('\n'));
      return 0;
    });
  },
};
