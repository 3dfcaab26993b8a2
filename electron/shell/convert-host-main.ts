// Entry of the conversion process (Electron: utilityProcess.fork; tests: child_process.fork). Converts one file.
import { connectParentPort } from '../pool/parent-port';
import { resolveStore } from '../store/convert';
import { runConvertHost } from './convert-host';

const port = connectParentPort();
port.onDisconnect(() => process.exit(0));
runConvertHost(port, (input, o) => resolveStore(input, o));
