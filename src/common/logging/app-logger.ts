import type { LoggerService } from '@nestjs/common';
import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export type LogFormat = 'json' | 'pretty';

/** JSON lines for machines (not a terminal: production, CI), one readable line each for people. */
export function defaultLogFormat(stdoutIsTTY = Boolean(process.stdout.isTTY)): LogFormat {
  return stdoutIsTTY ? 'pretty' : 'json';
}

/**
 * Structured logs (pino). What reaches them is ids, codes, routes and timings — never a patient's
 * name, MRN, a request body or a query string — and the redaction below is a second net. `json`
 * writes one JSON object a line; `pretty` the same events as one readable line each (pino-pretty,
 * in this thread and synchronous, so nothing is lost on exit). A destination (tests) gets JSON.
 */
export function createLogger(level: LogLevel, destination?: DestinationStream, format: LogFormat = 'json'): Logger {
  return pino(
    {
      level,
      base: { service: 'calcitrack' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: ['*.authorization', '*.password', '*.name', '*.mrn', '*.birthDate', '*.notes', '*.search', 'req.headers', 'req.query', 'req.body'],
        censor: '[redacted]',
      },
    },
    destination ?? (format === 'pretty' ? prettyStream(1) : pino.destination({ dest: 1, sync: true })),
  );
}

/** `[12:04:31.207] INFO: GET /api/v1/patients/:id 200 4.1 ms {"requestId":"…","userId":"…"}` */
export function prettyStream(destination: number | NodeJS.WritableStream, colorize?: boolean): DestinationStream {
  return pretty({
    destination,
    sync: true,
    ...(colorize === undefined ? {} : { colorize }),
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,service,context,method,route,status,ms,appUrl,docsUrl,demoUsers',
    messageFormat: (log, messageKey) => {
      if (log[messageKey] === 'request' && log.route) return `${log.method} ${log.route} ${log.status} ${Number(log.ms).toFixed(1)} ms`;
      return log.context ? `[${log.context}] ${log[messageKey]}` : String(log[messageKey]);
    },
  });
}

/** Nest's own start-up chatter (every module loaded, every route mapped): there at debug level. */
const NEST_START_UP = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestApplication']);

/** Nest's own messages (start-up, errors) through the same structured logger. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal', message: unknown, params: unknown[]): void {
    const context = typeof params[params.length - 1] === 'string' ? (params[params.length - 1] as string) : undefined;
    const quiet = level === 'info' && context !== undefined && NEST_START_UP.has(context);
    this.logger[quiet ? 'debug' : level]({ context }, typeof message === 'string' ? message : JSON.stringify(message));
  }

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }
}
