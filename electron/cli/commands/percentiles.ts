// `matrix-explorer percentiles` — percentiles of the finite elements (numpy.percentile, 'linear').
import type { PercentilesRequest } from '../../../shared/queries';
import type { CliCommand } from '../command';
import { UsageError } from '../command';
import { checkIndex, expectPositionals, fmt, helpersOption, parseArgs, parseInteger, parseNumber, table, toJson, withTarget } from './query-support';

const usage = `Usage: matrix-explorer percentiles <input> [--p P1,P2,...] [--rect R0 C0 R1 C1] [--json] [--helpers N]

Percentiles of the finite elements, as numpy.percentile computes them (linear interpolation;
sparse: implicit zeros included; complex: |z|).

<input>             a matrix file (.mtx, .mm, .npy, .csv, .tsv, .txt) or a converted store (.mxstore)
--p P1,P2,...       percentiles in [0, 100] (default 1,2.5,50,97.5,99)
--rect R0 C0 R1 C1  only rows [R0, R1) × columns [C0, C1) (0-based, end exclusive)
--json              print {"p":[...],"values":[...]} (null when there is no finite element)
--helpers N         compute in N helper processes (0 = in this process; default: helpers for big stores)

Examples:
  matrix-explorer percentiles data/hic.npy
  matrix-explorer percentiles data/hic.npy --p 5,95 --rect 0 0 1000 1000 --json`;

export const percentilesCommand: CliCommand = {
  name: 'percentiles',
  summary: 'percentiles of the matrix or a rectangle (numpy.percentile, linear)',
  usage,
  async run(args, io) {
    const p = parseArgs(args, { '--p': 1, '--rect': 4, '--json': 0, '--helpers': 1 });
    expectPositionals(p, []);
    const ps = (p.value('--p') ?? '1,2.5,50,97.5,99').split(',').filter(s => s.trim() !== '').map(s => parseNumber('--p', s));
    if (ps.length === 0) throw new UsageError('--p needs at least one percentile');
    for (const x of ps) if (!(x >= 0 && x <= 100)) throw new UsageError(`percentiles must be in [0, 100], got ${x}`);
    const req: PercentilesRequest = { p: ps };
    const rect = p.values('--rect');
    return withTarget(p.positionals[0], io, { helpers: helpersOption(p), wholeMatrix: !rect }, async t => {
      if (rect) {
        const [r0, c0, r1, c1] = rect.map((v, k) => parseInteger(['R0', 'C0', 'R1', 'C1'][k], v, 0));
        checkIndex(t, 'row', r0, t.shape[0]); checkIndex(t, 'column', c0, t.shape[1]);
        if (r1 <= r0 || r1 > t.shape[0] || c1 <= c0 || c1 > t.shape[1]) {
          throw new UsageError(`--rect needs R0 < R1 ≤ ${t.shape[0]} and C0 < C1 ≤ ${t.shape[1]}, got ${rect.join(' ')}`);
        }
        req.rect = { r0, c0, r1, c1 };
      }
      const r = await t.query('percentiles', req);
      if (p.flag('--json')) { io.out(toJson({ p: r.p, values: r.values })); return 0; }
      io.out([
        `${t.input}: ${t.shape[0]} × ${t.shape[1]}${req.rect ? `, rows ${req.rect.r0}..${req.rect.r1 - 1} × cols ${req.rect.c0}..${req.rect.c1 - 1}` : ''}`,
        '',
        table(r.p.map((x, k) => [`p${fmt(x)}`, fmt(r.values[k])]), ['percentile', 'value']),
      ].join('\n'));
      return 0;
    });
  },
};
