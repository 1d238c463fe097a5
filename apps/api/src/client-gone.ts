import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { ServerResponse } from 'node:http';

/**
 * An AbortSignal aborted when the request's client goes away before its answer is complete
 * (it closed the connection, or its proxy timed out): work done for it after that is wasted, and
 * for a simulation it is a worker other principals are waiting for. The response's `close` comes
 * on a complete answer too, so only a close before `writableFinished` counts.
 */
export const ClientGone = createParamDecorator((_: unknown, context: ExecutionContext): AbortSignal => {
  const reply = context.switchToHttp().getResponse<{ raw?: ServerResponse } & Partial<ServerResponse>>();
  const response = (reply.raw ?? reply) as ServerResponse;
  const controller = new AbortController();
  const gone = () => {
    if (!response.writableFinished) controller.abort();
  };
  // Gone already while its body was read and checked.
  if (response.destroyed || response.socket?.destroyed) gone();
  else response.once('close', gone);
  return controller.signal;
});
