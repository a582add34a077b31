import { describe, expect, it } from '@jest/globals';
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { createLogger, defaultLogFormat, prettyStream } from './app-logger';
import { requestLog } from './request-log.middleware';

function capture(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { stream, lines };
}

describe('log output', () => {
  it.each([
    ['a terminal', 'pretty', true],
    ['a pipe or a file (production, CI)', 'json', false],
  ])('on %s defaults to %s', (_where, format, tty) => {
    expect(defaultLogFormat(tty)).toBe(format);
  });

  it('pretty: one readable line per event — time, level, method, route, status, duration, then the ids', () => {
    const { stream, lines } = capture();
    const logger = createLogger('info', prettyStream(stream, false));
    const res = Object.assign(new EventEmitter(), { statusCode: 201 });
    const req = { method: 'POST', baseUrl: '', route: { path: '/api/v1/patients/:id/visits' }, id: 'req-1', user: { id: 'user-1', clinicId: 'clinic-1', role: 'staff' } };
    requestLog(logger)(req as never, res as never, () => undefined);
    res.emit('finish');
    logger.info({ context: 'Calcitrack' }, 'seeded the demo clinic');

    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: POST \/api\/v1\/patients\/:id\/visits 201 \d+\.\d ms \{"requestId":"req-1","userId":"user-1","clinicId":"clinic-1"\}$/);
    expect(lines[1]).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: \[Calcitrack\] seeded the demo clinic$/);
  });

  it('pretty keeps the redaction: a patient field that slips into a log line is censored', () => {
    const { stream, lines } = capture();
    createLogger('info', prettyStream(stream, false)).warn({ patient: { name: 'Zebulon Quillfeather', mrn: 'MRN-4711' } }, 'odd');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/Zebulon|MRN-4711/);
    expect(lines[0]).toContain('[redacted]');
  });

  it('json: one JSON object per line, with the same fields', () => {
    const { stream, lines } = capture();
    createLogger('info', stream).info({ context: 'Calcitrack', appUrl: 'http://localhost:3000/' }, 'ready');
    expect(lines.map((l) => JSON.parse(l))).toEqual([expect.objectContaining({ level: 30, service: 'calcitrack', context: 'Calcitrack', appUrl: 'http://localhost:3000/', msg: 'ready' })]);
  });
});
