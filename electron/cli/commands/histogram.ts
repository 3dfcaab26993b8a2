// `matrix-explorer histogram` — placeholder, to be written by its owner.
import type { CliCommand } from '../command';

export const histogramCommand: CliCommand = {
  name: 'histogram',
  summary: '(not yet implemented)',
  usage: 'matrix-explorer histogram',
  async run(_args, io) { io.err('not yet implemented'); return 1; },
};
