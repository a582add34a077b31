import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { MailContent } from './mail-messages';

export interface OutgoingMail extends MailContent {
  to: string;
  /** stable across retries of one e-mail, so a mail client can drop a duplicate */
  messageId: string;
}

/** SMTP through nodemailer (SMTP_URL, MAIL_FROM). Without SMTP_URL mail is off. */
@Injectable()
export class Mailer implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Mailer');
  private transport: Transporter | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  onModuleInit(): void {
    this.logger.log(this.describe());
  }

  get enabled(): boolean {
    return this.config.notifications.smtpUrl !== null;
  }

  /** The server mail goes to, without credentials (for the start-up log). */
  describe(): string {
    const raw = this.config.notifications.smtpUrl;
    if (!raw) return 'mail is off: SMTP_URL is not set';
    const url = new URL(raw);
    return `mail through ${url.protocol}//${url.host} from ${this.config.notifications.mailFrom}`;
  }

  async send(mail: OutgoingMail): Promise<void> {
    if (!this.config.notifications.smtpUrl) throw new Error('mail is off');
    this.transport ??= nodemailer.createTransport({ url: this.config.notifications.smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
    await this.transport.sendMail({
      from: this.config.notifications.mailFrom ?? undefined,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      messageId: mail.messageId,
    });
  }

  onApplicationShutdown(): void {
    this.transport?.close();
    this.transport = null;
    this.logger.debug('mail transport closed');
  }
}
