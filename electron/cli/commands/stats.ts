// `matrix-explorer stats` — whole-matrix statistics (min, max, mean, std, counts of NaN/±inf/zeros).
import type { CliCommand } from '../command';
import { expectPositionals, fmt, helpersOption, parseArgs, table, toJson, withTarget } from './query-support';

const usage = `Usage: matrix-explorer stats <input> [--json] [--helpers N]

Whole-matrix statistics over all rows × cols elements (sparse: implicit zeros included;
complex: over |z|): finite min, max, mean, population std, and counts of finite, NaN,
+inf, -inf and zero elements.

<input>       a matrix file (.mtx, .mm, .npy, .csv, .tsv, .txt; converted once and cached)
              or a converted store (.mxstore)
--json        print the result as JSON (null where there is no finite element)
--helpers N   compute in N helper processes (0 = in this process; default: helpers for big stores)

Examples:
  matrix-explorer stats data/hic.npy
  matrix-explorer stats data/west0479.mtx --json`;

export const statsCommand: CliCommand = {
  name: 'stats',
  summary: 'whole-matrix statistics: min, max, mean, std, NaN/inf/zero counts',
  usage,
  async run(args, io) {
    const p = parseArgs(args, { '--json': 0, '--helpers': 1 });
    expectPositionals(p, []);
    return withTarget(p.positionals[0], io, { helpers: helpersOption(p), wholeMatrix: true }, async t => {
      const s = await t.query('stats', {});
      if (p.flag('--json')) { io.out(toJson(s)); return 0; }
      const total = t.shape[0] * t.shape[1];
      io.out([
        `${t.input}: ${t.shape[0]} × ${t.shape[1]} ${t.manifest.kind} ${t.manifest.dtype}, ${total} elements`,
        '',
        table([
          ['min', fmt(s.min)], ['max', fmt(s.max)], ['mean', fmt(s.mean)], ['std', fmt(s.std)],
          ['finite', fmt(s.finite)], ['NaN', fmt(s.nan)], ['+inf', fmt(s.posinf)], ['-inf', fmt(s.neginf)], ['zeros', fmt(s.zeros)],
        ]),
      ].join('\n'));
      return 0;
    });
  },
};
