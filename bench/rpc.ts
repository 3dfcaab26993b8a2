// Browser-mode overhead (`npm run bench -- rpc`): the binary frame codec's throughput on viewport-sized
// results, and viewport latency over the WebSocket (encode → socket → decode) next to the same query
// asked of the helper pool directly, on a 4096² float32 store generated once with NumPy into bench/.data/.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import WebSocket from 'ws';
import type { ServerMessage } from '../shared/rpc/protocol';
import { createRpcClient } from '../shared/rpc/rpc-client';
import { decodeFrame, encodeFrame } from '../shared/rpc/wire-codec';
import { Backend } from '../electron/backend/backend';
import { HelperPool } from '../electron/pool/helper-pool';
import { startServer } from '../electron/server/start-server';

const N = 4096;
const SOURCE = path.join(__dirname, '.data', `rpc-dense-${N}.npy`);

const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p / 100 * s.length))]; };
const ms = (x: number) => `${x.toFixed(2)} ms`;

function codecFigures(): void {
  const cells = 1000 * 800;
  const arr = () => new Float32Array(cells).map((_, i) => (i % 101 === 0 ? NaN : Math.sin(i)));
  const msg = { t: 'res', id: 1, result: { block: 4, rowStart: 0, colStart: 0, rows: 800, cols: 1000, min: arr(), max: arr(), mean: arr(), count: arr() } };
  const bytes = cells * 4 * 4;
  for (let k = 0; k < 3; k++) decodeFrame(encodeFrame(msg));
  const enc: number[] = [], dec: number[] = [];
  for (let k = 0; k < 20; k++) {
    const t0 = performance.now();
    const f = encodeFrame(msg);
    const t1 = performance.now();
    decodeFrame(f);
    enc.push(t1 - t0); dec.push(performance.now() - t1);
  }
  const json = performance.now();
  JSON.parse(JSON.stringify({ ...msg.result, min: Array.from(msg.result.min), max: Array.from(msg.result.max), mean: Array.from(msg.result.mean), count: Array.from(msg.result.count) }));
  const jsonMs = performance.now() - json;
  console.log(`   codec, 1000×800 viewport (4 float32 arrays, ${(bytes / 2 ** 20).toFixed(1)} MiB): encode p50 ${ms(pct(enc, 50))} (${(bytes / 2 ** 20 / (pct(enc, 50) / 1000)).toFixed(0)} MiB/s), decode p50 ${ms(pct(dec, 50))} (views, no copy)`);
  console.log(`   for comparison, JSON round trip of the same arrays: ${ms(jsonMs)}`);
}

function ensureSource(): void {
  if (fs.existsSync(SOURCE)) return;
  fs.mkdirSync(path.dirname(SOURCE), { recursive: true });
  const py = `import numpy as np, sys\nn=int(sys.argv[2]); r=np.arange(n,dtype=np.float32)[:,None]; c=np.arange(n,dtype=np.float32)[None,:]\nnp.save(sys.argv[1], (np.sin(r/300)*np.cos(c/500)*10).astype('<f4'))`;
  const r = spawnSync('python3', ['-c', py, SOURCE, String(N)], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('python3 with numpy is needed to generate the bench input');
}

export async function bench(): Promise<void> {
  codecFigures();
  ensureSource();
  const pool = new HelperPool({ size: 2 });
  const backend = new Backend({ pool });
  const t0 = performance.now();
  const server = await startServer({ input: SOURCE, backend });
  console.log(`   server up on a ${N}² float32 store in ${((performance.now() - t0) / 1000).toFixed(1)} s (conversion cached after the first run)`);
  const id = server.info!.id;
  const connect = () => new Promise<ReturnType<typeof createRpcClient> & { ws: WebSocket }>((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`);
    let deliver: (m: ServerMessage) => void = () => {};
    ws.on('message', d => deliver(decodeFrame(d as Buffer) as ServerMessage));
    ws.once('open', () => resolve(Object.assign(createRpcClient({ send: m => ws.send(encodeFrame(m)), onMessage: l => { deliver = l; } }), { ws })));
    ws.once('error', reject);
  });
  const tab1 = await connect(), tab2 = await connect();
  await tab1.current(); await tab2.current();
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const rects = Array.from({ length: 60 }, () => {
    const size = Math.max(64, Math.floor(N * rand() ** 2));
    const r0 = Math.floor(rand() * (N - size)), c0 = Math.floor(rand() * (N - size));
    return { r0, c0, r1: r0 + size, c1: c0 + size, width: 1000, height: 800 };
  });
  for (const r of rects.slice(0, 5)) { await pool.query(server.info!.storePath, 'viewport', r); await tab1.query(id, 'viewport', r); }
  const direct: number[] = [], overWs: number[] = [];
  for (const r of rects) {
    let t = performance.now();
    await pool.query(server.info!.storePath, 'viewport', r);
    direct.push(performance.now() - t);
    t = performance.now();
    await tab1.query(id, 'viewport', r);
    overWs.push(performance.now() - t);
  }
  console.log(`   viewport 1000×800 at random zooms, helper pool directly: p50 ${ms(pct(direct, 50))}, p95 ${ms(pct(direct, 95))}`);
  console.log(`   same over the WebSocket (server encode + socket + client decode): p50 ${ms(pct(overWs, 50))}, p95 ${ms(pct(overWs, 95))}`);
  const t = performance.now();
  // Viewports from one tab supersede each other (a newer one cancels an older one), so each tab asks in turn.
  const runTab = async (tab: typeof tab1, rs: typeof rects) => { for (const r of rs) await tab.query(id, 'viewport', r); };
  await Promise.all([runTab(tab1, rects.slice(0, 10)), runTab(tab2, rects.slice(10, 20))]);
  console.log(`   two tabs panning at once, 10 viewports each: ${ms(performance.now() - t)} total`);
  console.log(`   backend after two tabs: ${JSON.stringify(backend.stats())}`);
  tab1.ws.close(); tab2.ws.close();
  await server.close();
  await backend.close();
  await pool.close();
}

if (require.main === module) void bench();
