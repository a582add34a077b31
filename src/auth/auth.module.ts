import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { RateLimitStore } from './rate-limit.store';

@Global()
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        secret: config.jwtSecret,
        signOptions: { algorithm: 'HS256', issuer: 'calcitrack' },
        verifyOptions: { algorithms: ['HS256'], issuer: 'calcitrack' },
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [AuthService, RateLimitStore, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [JwtModule, AuthService],
})
export class AuthModule {}
