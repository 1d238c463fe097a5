import { parseNonNegativeInt, type Command } from '../command';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Start the HTTP API (same as npm start)',
  usage: 'fundsim serve [--port N]',
  needsStore: false,
  options: { port: { type: 'string', value: 'N', description: 'port to listen on (default $PORT or 3000)' } },
  async run(values) {
    const port = parseNonNegativeInt(values.port, 'port');
    if (port !== undefined) process.env.PORT = String(port);
    // The API owns its own store connection and runs until stopped.
    require('../../../api/src/main');
    return new Promise<number>(() => undefined);
  },
};
