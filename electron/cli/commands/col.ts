// `matrix-explorer col` — one column of the matrix (see slice-command.ts).
import { sliceCommand } from './slice-command';

export const colCommand = sliceCommand('col');
