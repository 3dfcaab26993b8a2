// The browser client over fake sockets (no DOM, no server): URLs, binary frames, reconnect with re-sent requests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClientMessage, ServerMessage } from '../../../shared/rpc/protocol';
import { decodeFrame, encodeFrame } from '../../../shared/rpc/wire-codec';
import { connectBrowserClient, socketUrl, windowUrl } from './browser-client';
import type { SocketLike } from './ws-transport';

/** A fake socket whose "server" answers through `serve`; tests can drop it. */
class FakeSocket implements SocketLike {
  binaryType = 'blob';
  readyState = 0;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  received: ClientMessage[] = [];
  constructor(readonly url: string, private serve: (m: ClientMessage, reply: (r: ServerMessage) => void) => void, refuse = false) {
    setTimeout(() => {
      if (refuse) { this.readyState = 3; this.onclose?.({}); return; }
      this.readyState = 1; this.onopen?.({});
    }, 1);
  }
  send(data: ArrayBufferView | ArrayBuffer) {
    assert.ok(data instanceof Uint8Array, 'binary frames only');
    const msg = decodeFrame(data) as ClientMessage;
    this.received.push(msg);
    this.serve(msg, r => setTimeout(() => this.readyState === 1 && this.onmessage?.({ data: encodeFrame(r).slice().buffer }), 1));
  }
  close() { this.drop(); }
  drop() { if (this.readyState === 3) return; this.readyState = 3; setTimeout(() => this.onclose?.({}), 0); }
}

const loc = { protocol: 'http:', host: '127.0.0.1:5555', search: '?token=abc&matrix=%2Fm.mxstore', href: 'http://127.0.0.1:5555/?token=abc' };

test('socket and window URLs carry the token and the matrix', () => {
  assert.equal(socketUrl(loc), 'ws://127.0.0.1:5555/ws?token=abc&matrix=%2Fm.mxstore');
  assert.equal(socketUrl({ protocol: 'https:', host: 'h', search: '' }), 'wss://h/ws');
  assert.equal(windowUrl('http://h:1/?token=t#x', '/a b.mxstore'), 'http://h:1/?token=t&matrix=%2Fa+b.mxstore');
});

test('requests made before the socket opens go out when it does; typed arrays come back intact', async () => {
  const sockets: FakeSocket[] = [];
  const client = connectBrowserClient({
    location: loc,
    socket: url => {
      const s = new FakeSocket(url, (m, reply) => {
        if (m.t === 'req' && m.method === 'query') reply({ t: 'res', id: m.id, result: { values: new Float64Array([NaN, 1.5]) } });
        if (m.t === 'req' && m.method === 'current') reply({ t: 'res', id: m.id, result: null });
      });
      sockets.push(s);
      return s;
    },
  });
  assert.equal(client.connection(), 'connecting');
  const r = await client.query('/m.mxstore', 'row', { index: 0 }) as unknown as { values: Float64Array };
  assert.ok(r.values instanceof Float64Array && Number.isNaN(r.values[0]) && r.values[1] === 1.5);
  assert.equal(await client.current(), null);
  assert.equal(sockets[0].url, 'ws://127.0.0.1:5555/ws?token=abc&matrix=%2Fm.mxstore');
  assert.equal(sockets[0].binaryType, 'arraybuffer');
  assert.equal(client.connection(), 'open');
  client.close();
});

test('when the socket drops, the client reconnects with backoff and re-sends unanswered requests', async () => {
  const sockets: FakeSocket[] = [];
  let attempts = 0;
  const states: string[] = [];
  const client = connectBrowserClient({
    location: loc, minDelayMs: 5,
    socket: url => {
      attempts++;
      // the first socket swallows requests; the second attempt is refused; the third answers
      const s = new FakeSocket(url, (m, reply) => {
        if (sockets.indexOf(s) >= 2 && m.t === 'req') reply({ t: 'res', id: m.id, result: { ok: m.method } });
      }, attempts === 2);
      sockets.push(s);
      return s;
    },
  });
  client.onConnection(s => states.push(s));
  const p = client.recent();
  await new Promise(r => setTimeout(r, 20));
  assert.equal(sockets[0].received.length, 1);
  sockets[0].drop();
  assert.deepEqual(await p, { ok: 'recent' });
  assert.equal(attempts, 3);
  assert.deepEqual(states, ['open', 'reconnecting', 'open']);
  assert.equal(sockets[2].received.filter(m => m.t === 'req').length, 1);
  // links published while connected arrive; a cancel goes out as a message
  const got: unknown[] = [];
  client.onLink(s => got.push(s));
  sockets[2].onmessage?.({ data: encodeFrame({ t: 'link', state: { matrixId: 'm', cursor: null, selection: { i: 1, j: 2 }, from: 'x' } }) });
  assert.equal(got.length, 1);
  const ac = new AbortController();
  const never = client.open('/x.mtx', { signal: ac.signal });
  ac.abort();
  await assert.rejects(never, { code: 'cancelled' });
  client.close();
  assert.equal(client.connection(), 'closed');
});

test('UI preferences live in the given storage', async () => {
  const mem = new Map<string, string>();
  const storage = { getItem: (k: string) => mem.get(k) ?? null, setItem: (k: string, v: string) => { mem.set(k, v); } };
  const client = connectBrowserClient({ location: loc, storage, socket: url => new FakeSocket(url, () => {}) });
  assert.deepEqual(await client.prefs!(), {});
  client.setPrefs!({ colormap: 'magma' });
  assert.deepEqual(await client.prefs!(), { colormap: 'magma' });
  mem.set('matrix-explorer:prefs', '{broken');
  assert.deepEqual(await client.prefs!(), {});
  const none = connectBrowserClient({ location: loc, storage: null, socket: url => new FakeSocket(url, () => {}) });
  assert.deepEqual(await none.prefs!(), {});
  client.close(); none.close();
});
