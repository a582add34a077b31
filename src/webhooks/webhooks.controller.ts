import { Body, Controller, Delete, Get, Headers, HttpCode, HttpStatus, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { etagOf, parseIfMatch } from '../common/http/etag';
import { PageQueryDto } from '../common/http/pagination';
import { UuidParamPipe } from '../common/http/uuid-param.pipe';
import { CreateWebhookDto, DeliveryDto, DeliveryPageDto, DeliveryQueryDto, RotateWebhookSecretDto, UpdateWebhookDto, WebhookDto, WebhookPageDto, WebhookWithSecretDto } from './dto/webhook.dto';
import { WebhooksService } from './webhooks.service';

const IF_MATCH = { name: 'If-Match', required: false, description: 'the ETag last read; 412 when stale' };

@ApiTags('webhooks')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/v1/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiOperation({ summary: 'Subscribe an integration to alert events (Standard Webhooks, signed); the response shows the signing secret, once' })
  @ApiCreatedResponse({ type: WebhookWithSecretDto })
  async create(@CurrentUser() actor: AuthUser, @Body() dto: CreateWebhookDto, @Res({ passthrough: true }) res: Response): Promise<WebhookWithSecretDto> {
    return withEtag(res, await this.webhooks.create(actor, dto));
  }

  @Get()
  @ApiOperation({ summary: "The clinic's webhook subscriptions, oldest first (never their secrets)" })
  @ApiOkResponse({ type: WebhookPageDto })
  list(@CurrentUser() actor: AuthUser, @Query() query: PageQueryDto): Promise<WebhookPageDto> {
    return this.webhooks.list(actor, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One webhook subscription (carries an ETag)' })
  @ApiOkResponse({ type: WebhookDto })
  async get(@CurrentUser() actor: AuthUser, @Param('id', new UuidParamPipe('webhook')) id: string, @Res({ passthrough: true }) res: Response): Promise<WebhookDto> {
    return withEtag(res, await this.webhooks.get(actor, id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a subscription: URL (checked again), description, event and severity filters, or pause and resume it' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: WebhookDto })
  async update(
    @CurrentUser() actor: AuthUser,
    @Param('id', new UuidParamPipe('webhook')) id: string,
    @Body() dto: UpdateWebhookDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<WebhookDto> {
    return withEtag(res, await this.webhooks.update(actor, id, dto, parseIfMatch(ifMatch)));
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a subscription: its pending deliveries are cancelled; its delivery log is kept' })
  @ApiHeader(IF_MATCH)
  @ApiNoContentResponse({ description: 'the subscription is deleted' })
  async remove(@CurrentUser() actor: AuthUser, @Param('id', new UuidParamPipe('webhook')) id: string, @Headers('if-match') ifMatch: string | undefined): Promise<void> {
    await this.webhooks.remove(actor, id, parseIfMatch(ifMatch));
  }

  @Post(':id/rotate-secret')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'A new signing secret, shown once; the old one keeps signing alongside it for the overlap (default 24 h)' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: WebhookWithSecretDto })
  async rotateSecret(
    @CurrentUser() actor: AuthUser,
    @Param('id', new UuidParamPipe('webhook')) id: string,
    @Body() dto: RotateWebhookSecretDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<WebhookWithSecretDto> {
    return withEtag(res, await this.webhooks.rotateSecret(actor, id, dto, parseIfMatch(ifMatch)));
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: "The subscription's deliveries, newest first, each with every attempt (status code or error, duration, next attempt)" })
  @ApiOkResponse({ type: DeliveryPageDto })
  deliveries(@CurrentUser() actor: AuthUser, @Param('id', new UuidParamPipe('webhook')) id: string, @Query() query: DeliveryQueryDto): Promise<DeliveryPageDto> {
    return this.webhooks.deliveries(actor, id, query);
  }

  @Post(':id/deliveries/:deliveryId/resend')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Send a dead (or delivered) delivery again, with the same webhook-id; 409 while it is pending' })
  @ApiOkResponse({ type: DeliveryDto })
  resend(
    @CurrentUser() actor: AuthUser,
    @Param('id', new UuidParamPipe('webhook')) id: string,
    @Param('deliveryId', new UuidParamPipe('delivery')) deliveryId: string,
  ): Promise<DeliveryDto> {
    return this.webhooks.resend(actor, id, deliveryId);
  }
}

function withEtag<T extends WebhookDto>(res: Response, webhook: T): T {
  res.setHeader('ETag', etagOf(webhook.version));
  return webhook;
}
