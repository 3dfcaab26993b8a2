// The browser's side of the WebSocket: binary frames through the wire codec, and reconnecting with
// backoff when the socket drops. Requests sent while the socket is down are not queued: the RPC client
// re-sends every unanswered request each time a connection comes up (`onReconnect`).
import type { RpcTransport } from '../../../shared/rpc/rpc-client';
import type { ClientMessage, ServerMessage } from '../../../shared/rpc/protocol';
import { decodeFrame, encodeFrame } from '../../../shared/rpc/wire-codec';

/** The bits of the WebSocket API we use (the DOM's, or a compatible one in tests). */
export interface SocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: ArrayBufferView | ArrayBuffer): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}
export type SocketFactory = (url: string) => SocketLike;

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface WsTransport extends RpcTransport {
  state(): ConnectionState;
  onState(listener: (s: ConnectionState) => void): () => void;
  close(): void;
}

export interface WsTransportOptions {
  url: string;
  socket?: SocketFactory;
  /** First retry delay (ms), doubled each failure up to maxDelayMs. */
  minDelayMs?: number;
  maxDelayMs?: number;
}

const OPEN = 1;

export function createWsTransport(options: WsTransportOptions): WsTransport {
  const make: SocketFactory = options.socket ?? (url => new WebSocket(url) as unknown as SocketLike);
  const minDelay = options.minDelayMs ?? 250, maxDelay = options.maxDelayMs ?? 10_000;
  let onMessage: (m: ServerMessage) => void = () => {};
  const upListeners: (() => void)[] = [];
  const stateListeners = new Set<(s: ConnectionState) => void>();
  let socket: SocketLike | null = null;
  let state: ConnectionState = 'connecting';
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const setState = (s: ConnectionState) => {
    if (s === state) return;
    state = s;
    for (const l of [...stateListeners]) l(s);
  };

  const connect = () => {
    timer = null;
    let ws: SocketLike;
    try { ws = make(options.url); } catch { scheduleRetry(); return; }
    socket = ws;
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => {
      failures = 0;
      setState('open');
      for (const l of upListeners) l();
    };
    ws.onmessage = ev => {
      const data = ev.data;
      if (typeof data === 'string') return;
      let msg: unknown;
      try { msg = decodeFrame(data as ArrayBuffer); } catch { return; }
      onMessage(msg as ServerMessage);
    };
    ws.onerror = () => { /* onclose follows */ };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      if (state !== 'closed') scheduleRetry();
    };
  };

  const scheduleRetry = () => {
    if (state === 'closed') return;
    setState('reconnecting');
    const delay = Math.min(maxDelay, minDelay * 2 ** failures) * (0.75 + Math.random() * 0.5);
    failures++;
    timer = setTimeout(connect, delay);
  };

  connect();

  return {
    send(message: ClientMessage) {
      if (!socket || socket.readyState !== OPEN) return; // re-sent by the RPC client when the connection is up
      socket.send(encodeFrame(message));
    },
    onMessage(listener) { onMessage = listener; },
    onReconnect(listener) { upListeners.push(listener); },
    state: () => state,
    onState(listener) {
      stateListeners.add(listener);
      return () => { stateListeners.delete(listener); };
    },
    close() {
      setState('closed');
      if (timer) clearTimeout(timer);
      socket?.close(1000, 'closed by the page');
      socket = null;
    },
  };
}
