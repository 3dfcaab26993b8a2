// `matrix-explorer open` — placeholder, to be written by its owner.
import type { CliCommand } from '../command';

export const openCommand: CliCommand = {
  name: 'open',
  summary: '(not yet implemented)',
  usage: 'matrix-explorer open',
  async run(_args, io) { io.err('not yet implemented'); return 1; },
};
