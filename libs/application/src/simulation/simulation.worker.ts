/**
 * The Monte Carlo of a simulation, in a worker thread: the API's event loop keeps answering
 * (`/health` included) while a million paths run. Messages: a SimulationJob with its id in;
 * { id, progress } while running, then { id, result } or { id, error } out.
 */
import { parentPort } from 'node:worker_threads';
import { simulateFund } from '@fundsim/simulation';
import type { SimulationJob } from './simulation-job';

parentPort!.on('message', (job: SimulationJob & { id: number }) => {
  const { id, options } = job;
  try {
    let reported = 0;
    const onProgress = (done: number) => {
      if (done - reported >= options.paths / 20 || done === options.paths) parentPort!.postMessage({ id, progress: (reported = done) });
    };
    const result = simulateFund(job.fork, job.parameters, { ...job.options, onProgress });
    parentPort!.postMessage({ id, result });
  } catch (error) {
    parentPort!.postMessage({ id, error: (error as Error).message });
  }
});
