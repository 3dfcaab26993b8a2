// worker_threads entry of ScatterWorker (scatter-worker): does each job it is sent, on shared memory.
import { parentPort } from 'node:worker_threads';
import { runScatterJob, type ScatterJob } from './scatter-worker';

parentPort?.on('message', (job: ScatterJob) => {
  runScatterJob(job);
  parentPort!.postMessage('done');
});
