// `matrix-explorer value` — placeholder, to be written by its owner.
import type { CliCommand } from '../command';

export const valueCommand: CliCommand = {
  name: 'value',
  summary: '(not yet implemented)',
  usage: 'matrix-explorer value',
  async run(_args, io) { io.err('not yet implemented'); return 1; },
};
