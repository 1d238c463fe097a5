import { ValidationPipe, type INestApplication, type LogLevel } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { HttpErrorFilter, validationException } from './http-errors';

/** Builds the app with its pipes, filters and OpenAPI docs; shared by main.ts and the e2e tests. */
export async function createApp(options: { logger?: false | LogLevel[] } = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter(), { logger: options.logger, abortOnError: false, bodyParser: false });
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, exceptionFactory: validationException }),
  );
  app.useGlobalFilters(new HttpErrorFilter(app.get(HttpAdapterHost)));
  app.enableShutdownHooks();
  const config = new DocumentBuilder()
    .setTitle('fundsim')
    .setDescription('Event-sourced simulator of a U.S.-Japan sovereign-style fund and its retail LPs')
    .setVersion('0.1.0')
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, config));
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
