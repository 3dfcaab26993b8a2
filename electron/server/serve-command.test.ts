// `matrix-explorer serve` as a subprocess, on a real test file: the URL line on stdout, the token on
// HTTP and WebSocket, queries end to end through the binary protocol, two tabs → one conversion,
// a clean exit on SIGTERM. Also `open` falling back to browser mode without the Electron binary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import WebSocket from 'ws';
import type { ServerMessage } from '../../shared/rpc/protocol';
import { createRpcClient } from '../../shared/rpc/rpc-client';
import { decodeFrame, encodeFrame } from '../../shared/rpc/wire-codec';
import { packageRoot } from './package-root';
import { SHARED_TESTDATA } from '../test-support/testdata';

const BIN = path.join(packageRoot(), 'bin', 'matrix-explorer.js');
const FILE = `${SHARED_TESTDATA}/mtx/lagraph-karate.mtx`;
const URL_LINE = /^http:\/\/127\.0\.0\.1:(\d+)\/\?token=([0-9a-f]{48})$/;

function startCli(args: string[], cache: string): { child: ChildProcess; url: Promise<string>; stderr: () => string; stdout: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, MATRIX_EXPLORER_CACHE: cache, MATRIX_EXPLORER_FROM_SOURCE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '', err = '';
  child.stderr!.on('data', d => { err += d; });
  const url = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', d => {
      out += d;
      const line = out.split('\n').find(l => URL_LINE.test(l));
      if (line) resolve(line);
    });
    child.once('exit', code => reject(new Error(`exited ${code} before printing a URL\n${err}`)));
  });
  const exit = new Promise<number | null>(r => child.once('exit', code => r(code)));
  return { child, url, stderr: () => err, stdout: () => out, exit };
}

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http.get(url, res => {
      let body = '';
      res.on('data', c => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

function wsClient(url: string) {
  return new Promise<{ ws: WebSocket; c: ReturnType<typeof createRpcClient> }>((resolve, reject) => {
    const ws = new WebSocket(url);
    let deliver: (m: ServerMessage) => void = () => {};
    ws.on('message', d => deliver(decodeFrame(d as Buffer) as ServerMessage));
    ws.once('open', () => resolve({ ws, c: createRpcClient({ send: m => ws.send(encodeFrame(m)), onMessage: l => { deliver = l; } }) }));
    ws.once('unexpected-response', (_q, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })));
    ws.once('error', reject);
  });
}

test('serve: URL line on stdout, token required, queries over the WebSocket, two tabs share one store', async t => {
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'mx-serve-'));
  const cli = startCli(['serve', FILE, '--port', '0', '--no-open'], cache);
  t.after(() => { cli.child.kill('SIGKILL'); fs.rmSync(cache, { recursive: true, force: true }); });
  const url = await cli.url;
  const [, port, token] = URL_LINE.exec(url)!;
  assert.equal(cli.stdout().trim(), url, 'stdout holds the URL line only');
  assert.match(cli.stderr(), /serving .*lagraph-karate\.mtx \(34 × 34 sparse/);

  assert.equal((await get(`http://127.0.0.1:${port}/`)).status, 403);
  assert.ok([200, 503].includes((await get(url)).status));
  await assert.rejects(wsClient(`ws://127.0.0.1:${port}/ws`), { status: 403 });

  const tab1 = await wsClient(`ws://127.0.0.1:${port}/ws?token=${token}`);
  const tab2 = await wsClient(`ws://127.0.0.1:${port}/ws?token=${token}`);
  const info = await tab1.c.current();
  assert.ok(info);
  assert.deepEqual(info.shape, [34, 34]);
  assert.equal((await tab2.c.current())?.id, info.id);
  const v = await tab2.c.query(info.id, 'value', { i: 1, j: 0 });
  assert.equal(v.value, 1);
  const vp = await tab1.c.query(info.id, 'viewport', { r0: 0, c0: 0, r1: 34, c1: 34, width: 34, height: 34 });
  assert.ok(vp.count instanceof Float32Array);
  assert.equal(vp.count.reduce((a, b) => a + b, 0), 156);
  const stats = JSON.parse((await get(`http://127.0.0.1:${port}/api/stats?token=${token}`)).body);
  assert.deepEqual(stats, { conversions: 1, storeOpens: 1, sessions: 2, opened: 1 });
  tab1.ws.close(); tab2.ws.close();

  cli.child.kill('SIGTERM');
  assert.equal(await cli.exit, 0);
});

test('serve: a bad file exits 2 with file and line, no URL; open without Electron falls back to browser mode', async t => {
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'mx-serve-'));
  t.after(() => fs.rmSync(cache, { recursive: true, force: true }));
  const bad = startCli(['serve', `${SHARED_TESTDATA}/mtx/fmm-invalid-invalid_bad_value.mtx`, '--no-open'], cache);
  bad.url.catch(() => undefined);
  assert.equal(await bad.exit, 2);
  assert.match(bad.stderr(), /invalid_bad_value\.mtx:3: /);
  assert.doesNotMatch(bad.stderr(), /\n\s+at /);
  assert.equal(bad.stdout(), '');

  const open = startCli([FILE, '--no-open'], cache);
  t.after(() => open.child.kill('SIGKILL'));
  const url = await open.url;
  assert.match(url, URL_LINE);
  assert.match(open.stderr(), /Electron (binary not installed|app not built) \(.*\); opening in browser mode instead/);
  open.child.kill('SIGINT');
  assert.equal(await open.exit, 0);
});
