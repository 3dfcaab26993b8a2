// The `matrix-explorer` command line: dispatches to one file per subcommand in ./commands.

import type { CliCommand, CliIo } from './command';
import { UsageError } from './command';
import { commands } from './commands';
import { describeError } from './describe-error';

function help(): string {
  const width = Math.max(...commands.map(c => c.name.length));
  return [
    'matrix-explorer — convert a big matrix once, map it once, look at it from many windows.',
    '',
    'Usage: matrix-explorer <command> [options]',
    '       matrix-explorer <file>            open a file in the desktop app (browser mode without Electron)',
    '',
    'Commands:',
    ...commands.map(c => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Inputs: Matrix Market (.mtx, .mm), NumPy (.npy), CSV/TSV (.csv, .tsv, .txt), or a converted store (.mxstore).',
    "Run 'matrix-explorer <command> --help' for a command's options. Every query takes --json.",
  ].join('\n');
}

export async function main(argv: string[]): Promise<void> {
  const controller = new AbortController();
  let interrupted = 0;
  process.on('SIGINT', () => {
    interrupted++;
    if (interrupted > 1) process.exit(130);
    controller.abort();
  });
  const io: CliIo = {
    out: t => { process.stdout.write(t.endsWith('\n') ? t : t + '\n'); },
    err: t => { process.stderr.write(t.endsWith('\n') ? t : t + '\n'); },
    isTTY: Boolean(process.stderr.isTTY),
    signal: controller.signal,
  };
  process.exitCode = await runCli(argv, io);
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(help());
    return name ? 0 : 2;
  }
  if (name === '--version') { io.out(require('../../package.json').version); return 0; }
  const command: CliCommand | undefined = commands.find(c => c.name === name) ?? (name.startsWith('-') ? undefined : commands.find(c => c.name === 'open'));
  if (!command) { io.err(`matrix-explorer: unknown option '${name}'\n\n${help()}`); return 2; }
  const args = command.name === name ? rest : argv;
  if (args.includes('--help') || args.includes('-h')) { io.out(command.usage); return 0; }
  try {
    return await command.run(args, io);
  } catch (e) {
    if (e instanceof UsageError) { io.err(`matrix-explorer ${command.name}: ${e.message}\n\n${command.usage}`); return 2; }
    const d = describeError(e);
    io.err(`matrix-explorer ${command.name}: ${d.message}`);
    return d.exitCode;
  }
}
