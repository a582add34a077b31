import { Module } from '@nestjs/common';
import { RuleSettingsController } from './rule-settings.controller';
import { RuleSettingsService } from './rule-settings.service';

@Module({ controllers: [RuleSettingsController], providers: [RuleSettingsService] })
export class RuleSettingsModule {}
