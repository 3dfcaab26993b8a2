// The shared body of `matrix-explorer row` and `matrix-explorer col`: one row or column, exact or as a
// min/max envelope of at most --points points.
import type { SliceRequest } from '../../../shared/queries';
import type { CliCommand } from '../command';
import { UsageError } from '../command';
import { checkIndex, expectPositionals, fmt, parseArgs, parseInteger, table, toJson, withTarget } from './query-support';

export function sliceCommand(axis: 'row' | 'col'): CliCommand {
  const word = axis === 'row' ? 'row' : 'column';
  const along = axis === 'row' ? 'column' : 'row';
  const letter = axis === 'row' ? 'I' : 'J';
  const usage = `Usage: matrix-explorer ${axis} <input> ${letter} [--start S] [--end E] [--points N] [--json]

The values of ${word} ${letter} (0-based), ${along}s [S, E) (default: all). With --points N and a longer
range, the ${word} is reduced to N points, each the min/max envelope of 'step' consecutive values.
Complex matrices give |z|.

<input>      a matrix file (.mtx, .mm, .npy, .csv, .tsv, .txt) or a converted store (.mxstore)
--start S    first ${along} (default 0)
--end E      one past the last ${along} (default: the ${word} length)
--points N   at most N points (an envelope when the range is longer)
--json       print {"axis","index","start","end","step","values"} or ... "min","max" (NaN as null)

Examples:
  matrix-explorer ${axis} data/west0479.mtx 10
  matrix-explorer ${axis} data/hic.npy 500 --start 1000 --end 2000 --json
  matrix-explorer ${axis} data/hic.npy 500 --points 200 --json`;

  return {
    name: axis,
    summary: `one ${word} (or part of it), exact or as a min/max envelope`,
    usage,
    async run(args, io) {
      const p = parseArgs(args, { '--start': 1, '--end': 1, '--points': 1, '--json': 0 });
      const [idx] = expectPositionals(p, [letter]);
      const index = parseInteger(letter, idx, 0);
      const req: SliceRequest = { index };
      if (p.value('--start') !== undefined) req.start = parseInteger('--start', p.value('--start'), 0);
      if (p.value('--end') !== undefined) req.end = parseInteger('--end', p.value('--end'), 0);
      if (p.value('--points') !== undefined) req.points = parseInteger('--points', p.value('--points'), 1);
      return withTarget(p.positionals[0], io, { helpers: 0 }, async t => {
        const [limit, length] = axis === 'row' ? [t.shape[0], t.shape[1]] : [t.shape[1], t.shape[0]];
        checkIndex(t, axis === 'row' ? 'row' : 'column', index, limit);
        const start = req.start ?? 0, end = req.end ?? length;
        if (end > length) throw new UsageError(`--end ${end} is past the end: the ${word} has ${length} ${along}s`);
        if (start >= end && length > 0) throw new UsageError(`--start must be below --end (got ${start} and ${end})`);
        const s = await t.query(axis, req);
        if (p.flag('--json')) { io.out(toJson(s)); return 0; }
        const head = `${t.input}: ${word} ${index}, ${along}s ${s.start}..${s.end - 1}`;
        if (s.step === 1 && s.values) {
          io.out([head, '', table(Array.from(s.values, (v, k) => [String(s.start + k), fmt(v)]), [along, 'value'])].join('\n'));
        } else {
          const rows = Array.from(s.min ?? [], (lo, k) => {
            const a = s.start + k * s.step, b = Math.min(s.end, a + s.step) - 1;
            return [`${a}..${b}`, fmt(lo), fmt(s.max![k])];
          });
          io.out([`${head} (${s.step} per point)`, '', table(rows, [`${along}s`, 'min', 'max'])].join('\n'));
        }
        return 0;
      });
    },
  };
}
