// Runs inside a worker_thread that stands in for an Electron utility process (e2e/electron-main.test.ts): it gives
// the thread a `process.parentPort` shaped like Electron's (message events carry `{ data, ports }`, the ports as
// MessagePortMain), then loads the entry module. Unlike child_process.fork, a worker can receive MessagePorts,
// so windows' direct ports to helpers travel for real.
import { EventEmitter } from 'node:events';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { MessagePortMain } from '../../electron/test-support/message-port-main';

const port = parentPort!;
const electronParentPort = Object.assign(new EventEmitter(), { postMessage: (m: unknown) => port.postMessage(m) });
port.on('message', (m: { data: unknown; ports: MessagePort[] }) =>
  electronParentPort.emit('message', { data: m.data, ports: m.ports.map(p => new MessagePortMain(p)) }));
(process as unknown as { parentPort: unknown }).parentPort = electronParentPort;
require((workerData as { entry: string }).entry);
