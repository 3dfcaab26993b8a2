// `matrix-explorer value` — one element A[i, j].
import type { CliCommand } from '../command';
import { checkIndex, expectPositionals, fmt, parseArgs, parseInteger, toJson, withTarget } from './query-support';

const usage = `Usage: matrix-explorer value <input> I J [--json]

The element in row I, column J (0-based). Complex matrices print the real and imaginary parts;
sparse matrices say whether (I, J) is a stored entry.

<input>   a matrix file (.mtx, .mm, .npy, .csv, .tsv, .txt) or a converted store (.mxstore)
--json    print {"i","j","value"[,"imag"][,"stored"]} (NaN and ±inf as null)

Examples:
  matrix-explorer value data/west0479.mtx 0 0
  matrix-explorer value data/hic.npy 1200 1350 --json`;

export const valueCommand: CliCommand = {
  name: 'value',
  summary: 'one element A[I, J] (0-based)',
  usage,
  async run(args, io) {
    const p = parseArgs(args, { '--json': 0 });
    const [is, js] = expectPositionals(p, ['I', 'J']);
    const i = parseInteger('I', is, 0), j = parseInteger('J', js, 0);
    return withTarget(p.positionals[0], io, { helpers: 0 }, async t => {
      checkIndex(t, 'row', i, t.shape[0]);
      checkIndex(t, 'column', j, t.shape[1]);
      const v = await t.query('value', { i, j });
      if (p.flag('--json')) { io.out(toJson(v)); return 0; }
      const imag = v.imag === undefined ? '' : ` ${v.imag < 0 ? '-' : '+'} ${fmt(Math.abs(v.imag))}i`;
      const stored = v.stored === undefined ? '' : v.stored ? '  (stored entry)' : '  (not stored: implicit zero)';
      io.out(`A[${i}, ${j}] = ${fmt(v.value)}${imag}${stored}`);
      return 0;
    });
  },
};
