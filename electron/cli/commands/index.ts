// Every subcommand, in the order `--help` lists them.
import type { CliCommand } from '../command';
import { convertCommand } from './convert';
import { infoCommand } from './info';
import { statsCommand } from './stats';
import { histogramCommand } from './histogram';
import { percentilesCommand } from './percentiles';
import { valueCommand } from './value';
import { rowCommand } from './row';
import { colCommand } from './col';
import { viewportCommand } from './viewport';
import { serveCommand } from './serve';
import { openCommand } from './open';

export const commands: CliCommand[] = [
  convertCommand, infoCommand, statsCommand, histogramCommand, percentilesCommand, valueCommand,
  rowCommand, colCommand, viewportCommand, serveCommand, openCommand,
];
