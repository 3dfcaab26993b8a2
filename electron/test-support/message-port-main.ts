// Tests only: a worker_threads MessagePort dressed as Electron's MessagePortMain (message events carry
// `{ data, ports }`, 'close' when either end closes), so the Electron-side code runs under Node.
import { EventEmitter } from 'node:events';
import type { MessagePort } from 'node:worker_threads';

export class MessagePortMain extends EventEmitter {
  constructor(readonly port: MessagePort) {
    super();
    port.on('message', data => this.emit('message', { data, ports: [] }));
    port.on('close', () => this.emit('close'));
  }
  postMessage(message: unknown): void { this.port.postMessage(message); }
  start(): void { this.port.start(); }
  close(): void { this.port.close(); }
}
