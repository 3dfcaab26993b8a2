// `matrix-explorer serve` — placeholder, to be written by its owner.
import type { CliCommand } from '../command';

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: '(not yet implemented)',
  usage: 'matrix-explorer serve',
  async run(_args, io) { io.err('not yet implemented'); return 1; },
};
