// `matrix-explorer col` — placeholder, to be written by its owner.
import type { CliCommand } from '../command';

export const colCommand: CliCommand = {
  name: 'col',
  summary: '(not yet implemented)',
  usage: 'matrix-explorer col',
  async run(_args, io) { io.err('not yet implemented'); return 1; },
};
