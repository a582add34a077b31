import { Module } from '@nestjs/common';
import { RuleSettingsController } from './rule-settings.controller';
import { RuleSettingsService } from './rule-settings.service';
import { RuleSimulationService } from './rule-simulation.service';

@Module({ controllers: [RuleSettingsController], providers: [RuleSettingsService, RuleSimulationService] })
export class RuleSettingsModule {}
