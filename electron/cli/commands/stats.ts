// `matrix-explorer stats` — placeholder, to be written by its owner.
import type { CliCommand } from '../command';

export const statsCommand: CliCommand = {
  name: 'stats',
  summary: '(not yet implemented)',
  usage: 'matrix-explorer stats',
  async run(_args, io) { io.err('not yet implemented'); return 1; },
};
