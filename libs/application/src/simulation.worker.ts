/**
 * The Monte Carlo of a simulation, in a worker thread: the API's event loop keeps answering
 * (`/health` included) while a million paths run. Messages: { id, start, parameters, options } in;
 * { id, progress } while running, then { id, result } or { id, error } out.
 */
import { parentPort } from 'node:worker_threads';
import { simulate, type CarryTerms, type CommitmentStart, type ModelParameters } from '@fundsim/simulation';

interface Job {
  id: number;
  start: CommitmentStart;
  parameters: ModelParameters;
  options: { paths: number; seed: number; fxSpot?: number; carry?: CarryTerms };
}

parentPort!.on('message', ({ id, start, parameters, options }: Job) => {
  try {
    let reported = 0;
    const result = simulate(start, parameters, {
      ...options,
      onProgress: (done) => {
        if (done - reported >= options.paths / 20 || done === options.paths) parentPort!.postMessage({ id, progress: (reported = done) });
      },
    });
    parentPort!.postMessage({ id, result });
  } catch (error) {
    parentPort!.postMessage({ id, error: (error as Error).message });
  }
});
