// One CLI subcommand: its name, a one-line summary for `--help`, its full usage text, and what it does.

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** True when stderr is a terminal (draw progress bars). */
  isTTY: boolean;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
}

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  /** Returns the exit code: 0 ok, 2 bad input or usage, 1 anything else, 130 cancelled. */
  run(args: string[], io: CliIo): Promise<number>;
}

/** A usage mistake: the CLI prints the message and the command's usage, exit code 2. */
export class UsageError extends Error {}
