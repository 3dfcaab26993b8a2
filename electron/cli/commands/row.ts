// `matrix-explorer row` — placeholder, to be written by its owner.
import type { CliCommand } from '../command';

export const rowCommand: CliCommand = {
  name: 'row',
  summary: '(not yet implemented)',
  usage: 'matrix-explorer row',
  async run(_args, io) { io.err('not yet implemented'); return 1; },
};
