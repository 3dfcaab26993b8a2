// `matrix-explorer convert` — placeholder, to be written by its owner.
import type { CliCommand } from '../command';

export const convertCommand: CliCommand = {
  name: 'convert',
  summary: '(not yet implemented)',
  usage: 'matrix-explorer convert',
  async run(_args, io) { io.err('not yet implemented'); return 1; },
};
