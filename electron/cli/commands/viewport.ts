// `matrix-explorer viewport` — placeholder, to be written by its owner.
import type { CliCommand } from '../command';

export const viewportCommand: CliCommand = {
  name: 'viewport',
  summary: '(not yet implemented)',
  usage: 'matrix-explorer viewport',
  async run(_args, io) { io.err('not yet implemented'); return 1; },
};
