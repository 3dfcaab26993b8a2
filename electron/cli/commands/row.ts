// `matrix-explorer row` — one row of the matrix (see slice-command.ts).
import { sliceCommand } from './slice-command';

export const rowCommand = sliceCommand('row');
