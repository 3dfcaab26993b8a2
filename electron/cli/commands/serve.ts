// `matrix-explorer serve` — browser mode: open the matrix, then serve the UI and its queries on one port,
// behind a random token. The URL goes to stdout on a line of its own; everything else to stderr.
import type { Progress } from '../../../shared/queries';
import { openInBrowser } from '../../server/open-browser';
import { isLoopback } from '../../server/path-policy';
import { startServer } from '../../server/start-server';
import type { CliCommand, CliIo } from '../command';
import { UsageError } from '../command';
import { parseArgs, parseInteger } from './query-support';

const USAGE = `Usage: matrix-explorer serve [<file-or-store>] [options]

Converts the matrix (or reuses its cached store), then serves the explorer to your browser:
the UI over HTTP and its queries over a WebSocket, on one port. Prints the URL to open,
http://127.0.0.1:PORT/?token=…, on stdout; every request needs that token. Ctrl-C stops.

Options:
  --port N             port to listen on (default 0: any free port)
  --host H             address to listen on (default 127.0.0.1; anything else exposes the server to the network)
  --no-open            don't open the URL in a browser
  --allow-open-paths   let the page open files by path even when --host is not a loopback address
                       (on 127.0.0.1 it may: whoever has the token is you)`;

export const SERVE_OPTIONS = { '--port': 1, '--host': 1, '--no-open': 0, '--allow-open-paths': 0 } as const;

function progressLine(io: CliIo): { onProgress: (p: Progress) => void; done: () => void } {
  let last = 0, lastPhase = '';
  return {
    onProgress: p => {
      if (io.isTTY) {
        const pct = p.fraction === null ? '' : ` ${(p.fraction * 100).toFixed(0).padStart(3)}%`;
        const now = Date.now();
        if (now - last < 150 && p.fraction !== 1) return;
        last = now;
        process.stderr.write(`\rconverting: ${p.phase}${pct}\x1b[K`);
      } else if (p.phase !== lastPhase) {
        lastPhase = p.phase;
        io.err(`converting: ${p.phase}…`);
      }
    },
    done: () => { if (io.isTTY && last) process.stderr.write('\r\x1b[K'); },
  };
}

/** Runs the server until Ctrl-C or SIGTERM. Shared with `open` (its browser-mode fallback). */
export async function runServe(args: string[], io: CliIo): Promise<number> {
  const p = parseArgs(args, SERVE_OPTIONS);
  if (p.positionals.length > 1) throw new UsageError(`unexpected argument '${p.positionals[1]}'`);
  const input = p.positionals[0];
  const port = p.value('--port') === undefined ? 0 : parseInteger('--port', p.value('--port'), 0);
  if (port > 65535) throw new UsageError(`--port must be at most 65535, got ${port}`);
  const host = p.value('--host') ?? '127.0.0.1';

  const terminate = new AbortController();
  const onTerm = () => terminate.abort();
  process.once('SIGTERM', onTerm);
  const stop = AbortSignal.any([io.signal, terminate.signal]);
  const progress = progressLine(io);
  try {
    let server;
    try {
      server = await startServer({ input, port, host, allowOpenPaths: p.flag('--allow-open-paths') || isLoopback(host), onProgress: progress.onProgress, signal: stop });
    } catch (e) {
      progress.done();
      if (stop.aborted) { io.err('cancelled'); return 130; }
      throw e;
    }
    progress.done();
    if (server.info) {
      const i = server.info;
      io.err(`serving ${i.sourcePath} (${i.shape[0]} × ${i.shape[1]} ${i.kind} ${i.dtype}, store ${i.storePath})`);
    }
    if (!isLoopback(host)) io.err(`warning: listening on ${host}: anyone who can reach this machine and has the token can use the server`);
    io.err('Open this URL in a browser (Ctrl-C stops the server):');
    io.out(server.url);
    if (!p.flag('--no-open') && !(await openInBrowser(server.url))) io.err('(could not start a browser: open the URL yourself)');
    await new Promise<void>(resolve => {
      if (stop.aborted) resolve();
      else stop.addEventListener('abort', () => resolve(), { once: true });
    });
    io.err('stopping…');
    await server.close();
    return 0;
  } finally {
    process.off('SIGTERM', onTerm);
  }
}

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'browser mode: serve the explorer on http://127.0.0.1 with an access token',
  usage: USAGE,
  run: runServe,
};
