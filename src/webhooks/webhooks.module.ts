import { Module } from '@nestjs/common';
import { WebhookDeliveryWorker } from './webhook-delivery.worker';

@Module({ providers: [WebhookDeliveryWorker], exports: [WebhookDeliveryWorker] })
export class WebhooksModule {}
