import { Controller, Get, Header, NotFoundException, Query, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@fundsim/application';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PrincipalOf } from './auth.guard';
import { NoQueryDto } from './no-query.dto';
import { ApiResult } from './openapi/api-result';

/** Where `npm run build` puts the dashboard: dist/web, seen from dist/apps/api/src or from apps/api/src. */
export const WEB_ROOT = [join(__dirname, '..', '..', '..', 'web'), join(__dirname, '..', '..', '..', 'dist', 'web')].find((dir) =>
  existsSync(join(dir, 'index.html')),
);

interface HtmlReply {
  type(contentType: string): unknown;
}

@ApiTags('session')
@Controller()
export class SessionController {
  private page?: string;

  @Get('me')
  @ApiOperation({ summary: 'Who the key is: its role, subject and (an LP) fund' })
  @ApiResult('Principal', "The key's principal, as the guard found it.")
  me(@Query() _query: NoQueryDto, @PrincipalOf() principal: Principal): Principal {
    return {
      keyId: principal.keyId,
      role: principal.role,
      subject: principal.subject,
      ...(principal.fundId === undefined ? {} : { fundId: principal.fundId }),
    };
  }

  /** The dashboard (a single-page app; its scripts and styles under /web/). */
  @Get()
  @ApiExcludeEndpoint()
  @Header('Cache-Control', 'no-cache')
  // Any query is the page's own business (a link may carry one): not validated here.
  dashboard(@Res({ passthrough: true }) reply: HtmlReply): string {
    if (!WEB_ROOT) throw new NotFoundException({ statusCode: 404, code: 'NOT_BUILT', message: 'The dashboard is not built: run npm run build' });
    this.page ??= readFileSync(join(WEB_ROOT, 'index.html'), 'utf8');
    reply.type('text/html; charset=utf-8');
    return this.page;
  }
}
