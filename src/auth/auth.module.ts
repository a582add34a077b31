import { createSecretKey } from 'node:crypto';
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
        // a key object made once: given the secret as a string, jsonwebtoken tries it as a PEM public
        // key (and throws) and then makes a secret key object on every verification
        secret: createSecretKey(Buffer.from(config.jwtSecret, 'utf8')),
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
