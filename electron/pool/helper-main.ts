// Entry point of a helper process (forked by the pool: Node child_process.fork or Electron utilityProcess.fork).
import { defaultSourceMode, openEngine } from '../engine/open-engine';
import { runHelper } from './helper-runtime';
import { connectParentPort } from './parent-port';

runHelper(openEngine, connectParentPort(), defaultSourceMode());
