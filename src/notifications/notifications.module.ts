import { Module } from '@nestjs/common';
import { DigestJob } from './digest.job';
import { EmailDeliveryWorker } from './email-delivery.worker';
import { Mailer } from './mailer';
import { NotificationDispatcher } from './notification-dispatcher';
import { NotificationSettingsController } from './notification-settings.controller';
import { NotificationSettingsService } from './notification-settings.service';

@Module({
  controllers: [NotificationSettingsController],
  providers: [Mailer, NotificationSettingsService, NotificationDispatcher, EmailDeliveryWorker, DigestJob],
  exports: [Mailer, DigestJob, NotificationDispatcher, EmailDeliveryWorker],
})
export class NotificationsModule {}
