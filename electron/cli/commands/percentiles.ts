// `matrix-explorer percentiles` — placeholder, to be written by its owner.
import type { CliCommand } from '../command';

export const percentilesCommand: CliCommand = {
  name: 'percentiles',
  summary: '(not yet implemented)',
  usage: 'matrix-explorer percentiles',
  async run(_args, io) { io.err('not yet implemented'); return 1; },
};
