import { Global, Module } from '@nestjs/common';
import { AlertRunner } from './alert-runner';
import { AlertsController } from './alerts.controller';
import { AlertsService } from './alerts.service';

/** Global: visits, amendments and labs run change detection through the AlertRunner. */
@Global()
@Module({ controllers: [AlertsController], providers: [AlertRunner, AlertsService], exports: [AlertRunner] })
export class AlertsModule {}
