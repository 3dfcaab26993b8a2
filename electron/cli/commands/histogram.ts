// `matrix-explorer histogram` — counts per bin over the whole matrix, NumPy's bin convention.
import type { HistogramRequest } from '../../../shared/queries';
import type { CliCommand } from '../command';
import { UsageError } from '../command';
import { expectPositionals, fmt, helpersOption, parseArgs, parseInteger, parseNumber, table, toJson, withTarget } from './query-support';

const usage = `Usage: matrix-explorer histogram <input> [--bins N] [--range LO HI] [--log] [--json] [--helpers N]

Histogram of the finite elements of the whole matrix (sparse: implicit zeros included; complex: |z|).
Bins follow numpy.histogram: N equal bins over [LO, HI], each half-open [e_k, e_k+1) except the
last, which is closed. Values outside the range are counted in 'below'/'above', NaN and ±inf apart.

<input>         a matrix file (.mtx, .mm, .npy, .csv, .tsv, .txt) or a converted store (.mxstore)
--bins N        number of bins (default 20)
--range LO HI   bin range (default: finite min .. max)
--log           logarithmically spaced bins (LO > 0; non-positive values count as 'below')
--json          print {"edges":[N+1],"counts":[N],"nan","posinf","neginf","zeros","below","above","total"}
--helpers N     count in N helper processes (0 = in this process; default: helpers for big stores)

Examples:
  matrix-explorer histogram data/hic.npy --bins 50
  matrix-explorer histogram data/west0479.mtx --bins 10 --range -1 1 --json
  matrix-explorer histogram contacts.mxstore --bins 40 --log`;

export const histogramCommand: CliCommand = {
  name: 'histogram',
  summary: 'histogram of the whole matrix (numpy.histogram bins; --log for log bins)',
  usage,
  async run(args, io) {
    const p = parseArgs(args, { '--bins': 1, '--range': 2, '--log': 0, '--json': 0, '--helpers': 1 });
    expectPositionals(p, []);
    const req: HistogramRequest = { bins: parseInteger('--bins', p.value('--bins') ?? '20', 1) };
    if (req.bins > 1e7) throw new UsageError(`--bins ${req.bins} is too many (at most 10000000)`);
    const range = p.values('--range');
    if (range) {
      const lo = parseNumber('--range LO', range[0]), hi = parseNumber('--range HI', range[1]);
      if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new UsageError('--range LO HI must be finite numbers');
      if (!(lo < hi)) throw new UsageError(`--range needs LO < HI, got ${range[0]} ${range[1]}`);
      req.range = [lo, hi];
    }
    if (p.flag('--log')) {
      req.log = true;
      if (req.range && req.range[0] <= 0) throw new UsageError(`--log needs a positive range, got LO = ${req.range[0]}`);
    }
    return withTarget(p.positionals[0], io, { helpers: helpersOption(p), wholeMatrix: true }, async t => {
      const h = await t.query('histogram', req);
      const ordered = {
        edges: h.edges, counts: h.counts, nan: h.nan, posinf: h.posinf, neginf: h.neginf,
        zeros: h.zeros, below: h.below, above: h.above, total: h.total,
      };
      if (p.flag('--json')) { io.out(toJson(ordered)); return 0; }
      const peak = Math.max(1, ...h.counts);
      const rows = h.counts.map((c, k) => {
        const last = k === h.counts.length - 1;
        return [`[${fmt(h.edges[k])}, ${fmt(h.edges[k + 1])}${last ? ']' : ')'}`, String(c), '#'.repeat(Math.round((c / peak) * 40))];
      });
      io.out([
        `${t.input}: ${t.shape[0]} × ${t.shape[1]}, ${h.counts.length} ${req.log ? 'log ' : ''}bins`,
        '',
        table(rows, ['bin', 'count', '']),
        '',
        `below ${h.below}  above ${h.above}  NaN ${h.nan}  +inf ${h.posinf}  -inf ${h.neginf}  zeros ${h.zeros}  total ${h.total}`,
      ].join('\n'));
      return 0;
    });
  },
};
