import { Global, Module } from '@nestjs/common';
import { AlertRunner } from './alert-runner';

@Global()
@Module({ providers: [AlertRunner], exports: [AlertRunner] })
export class AlertsModule {}
