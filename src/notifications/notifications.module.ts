import { Module } from '@nestjs/common';
import { EmailDeliveryWorker } from './email-delivery.worker';
import { Mailer } from './mailer';
import { NotificationDispatcher } from './notification-dispatcher';

@Module({
  providers: [Mailer, NotificationDispatcher, EmailDeliveryWorker],
  exports: [Mailer, NotificationDispatcher, EmailDeliveryWorker],
})
export class NotificationsModule {}
