// worker_threads entry: builds the CSC arrays of a real in-memory CSR on shared memory (see csc-scatter),
// so that the sparse builder's thread computes the pyramid and stats meanwhile.
import { parentPort } from 'node:worker_threads';
import { scatterCsc, type CscJob } from './csc-scatter';

parentPort?.on('message', (job: CscJob) => {
  scatterCsc(job);
  parentPort!.postMessage('done');
});
