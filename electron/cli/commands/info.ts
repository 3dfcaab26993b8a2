// `matrix-explorer info` — placeholder, to be written by its owner.
import type { CliCommand } from '../command';

export const infoCommand: CliCommand = {
  name: 'info',
  summary: '(not yet implemented)',
  usage: 'matrix-explorer info',
  async run(_args, io) { io.err('not yet implemented'); return 1; },
};
