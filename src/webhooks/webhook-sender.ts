import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { CheckedTarget } from './ssrf-guard';

export interface AttemptResult {
  delivered: boolean;
  statusCode: number | null;
  /** why the attempt failed, in a few words (never the response body) */
  error: string | null;
  durationMs: number;
}

const MAX_RESPONSE_BYTES = 64 * 1024;

/** Connects to the address the SSRF guard checked, whatever the name resolves to by now. */
function pinnedLookup(target: CheckedTarget): LookupFunction {
  return (_hostname, options, callback) => {
    const cb = callback as (err: Error | null, address: string | { address: string; family: number }[], family?: number) => void;
    if ((options as { all?: boolean }).all) cb(null, [{ address: target.address, family: target.family }]);
    else cb(null, target.address, target.family);
  };
}

function errorText(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; code?: string; message?: string };
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError' || e?.code === 'ABORT_ERR') return `no response within ${timeoutMs} ms`;
  return (e?.code ?? e?.message ?? 'request failed').slice(0, 200);
}

/**
 * One POST of a signed delivery. Any 2xx is delivered; anything else (another status, a
 * redirect — never followed —, a refused connection, a timeout) is a failed attempt.
 */
export function postDelivery(target: CheckedTarget, headers: Record<string, string>, body: string, timeoutMs: number): Promise<AttemptResult> {
  const started = performance.now();
  const transport = target.url.protocol === 'https:' ? https : http;
  return new Promise<AttemptResult>((resolve) => {
    let settled = false;
    const finish = (result: Omit<AttemptResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      resolve({ ...result, durationMs: Math.round(performance.now() - started) });
    };
    const req = transport.request(
      target.url,
      {
        method: 'POST',
        lookup: pinnedLookup(target),
        signal: AbortSignal.timeout(timeoutMs),
        agent: false,
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'Calcitrack-Webhooks/1',
        },
      },
      (res) => {
        let received = 0;
        res.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > MAX_RESPONSE_BYTES) res.destroy();
        });
        const done = () => {
          const status = res.statusCode ?? 0;
          const delivered = status >= 200 && status < 300;
          finish({ delivered, statusCode: status, error: delivered ? null : status >= 300 && status < 400 ? `HTTP ${status} (redirects are not followed)` : `HTTP ${status}` });
        };
        res.on('end', done);
        res.on('close', done);
        res.on('error', done);
      },
    );
    req.on('error', (err) => finish({ delivered: false, statusCode: null, error: errorText(err, timeoutMs) }));
    req.end(body);
  });
}
