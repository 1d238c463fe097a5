import { ValidationPipe, type INestApplication, type LogLevel } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import type { FastifyInstance } from 'fastify';
import { EventLogService, FundQueryService, KeyService } from '@fundsim/application';
import { AppModule } from './app.module';
import { ANON_RATE_LIMIT, AuthGuard, rateLimitFrom } from './auth.guard';
import { clientErrorHandler, HttpErrorFilter, validationException } from './http-errors';
import { BODY_LIMIT, harden } from './http-hardening';
import { Metrics, observe, replicaMetrics } from './observability';
import { traceRequests, tracingEnabled } from './tracing';
import { completeDocument, documentConfig } from './openapi/document';
import { WEB_ROOT } from './session.controller';
import fastifyStatic from '@fastify/static';

const registered = new WeakMap<INestApplication, Set<string>>();

/** The routes an app serves, as "METHOD /path/:param". */
export const routesOf = (app: INestApplication): ReadonlySet<string> => registered.get(app) ?? new Set();

/** Builds the app with its pipes, filters and OpenAPI docs; shared by main.ts and the e2e tests. */
export async function createApp(options: { logger?: false | LogLevel[]; requestLog?: boolean } = {}): Promise<INestApplication> {
  // `/events/` is `/events`: a client that appends a slash gets the route, not a 404 or 405.
  const adapter = new FastifyAdapter({ bodyLimit: BODY_LIMIT, routerOptions: { ignoreTrailingSlash: true }, clientErrorHandler });
  harden(adapter.getInstance());
  drainOnClose(adapter.getInstance());
  // Every route as Fastify registers it, for the access test: none may be missing from the table.
  const routes = new Set<string>();
  adapter.getInstance().addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.add(`${method} ${route.url}`);
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter, { logger: options.logger, abortOnError: false, bodyParser: false });
  registered.set(app, routes);
  const metrics = app.get(Metrics);
  // Spans only where a tracer provider is set up (main.ts: OTEL_EXPORTER_OTLP_ENDPOINT): otherwise no hook at all.
  if (tracingEnabled()) traceRequests(adapter.getInstance());
  observe(adapter.getInstance(), metrics, options.requestLog ?? false);
  const log = app.get(EventLogService);
  const queries = app.get(FundQueryService);
  metrics.gauges.push(async () => {
    const head = await log.headPosition();
    return [
      ['fundsim_log_head_position', '', head],
      ...queries
        .followed()
        .map(({ fundId, position }): [string, string, number] => ['fundsim_projection_lag_events', `fund="${fundId}"`, Math.max(0, head - position)]),
    ];
  });
  // With a read replica (FUNDSIM_STORE_READ), its lag.
  if (log.readsFromReplica) replicaMetrics(metrics.registry, () => log.replicaLag()!);
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, exceptionFactory: validationException }));
  app.useGlobalFilters(new HttpErrorFilter(app.get(HttpAdapterHost), routes));
  app.useGlobalGuards(
    new AuthGuard(
      app.get(KeyService),
      rateLimitFrom(process.env.FUNDSIM_RATE_LIMIT),
      rateLimitFrom(process.env.FUNDSIM_ANON_RATE_LIMIT, ANON_RATE_LIMIT, 'FUNDSIM_ANON_RATE_LIMIT'),
    ),
  );
  app.enableShutdownHooks();
  SwaggerModule.setup('docs', app, () => completeDocument(SwaggerModule.createDocument(app, documentConfig())));
  // The dashboard's scripts and styles (its page is GET /, SessionController).
  if (WEB_ROOT) await (app as NestFastifyApplication).register(fastifyStatic, { root: WEB_ROOT, prefix: '/web/', decorateReply: false });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

/**
 * A graceful stop (SIGTERM, SIGINT): Fastify stops listening, answers 503 to a request arriving
 * on an open connection, and waits for those in flight; each answer given meanwhile closes its
 * connection, so that no idle keep-alive connection holds the stop for Fastify's 72 s keep-alive
 * timeout. The store is closed after the server (its pending group commit flushed).
 */
function drainOnClose(fastify: FastifyInstance): void {
  let closing = false;
  fastify.addHook('preClose', (done) => ((closing = true), done()));
  fastify.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('Connection', 'close');
  });
}
