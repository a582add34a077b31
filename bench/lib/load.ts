import autocannon from 'autocannon';

/** What one load run measured: throughput, latency percentiles (ms) and every kind of failure. */
export interface LoadResult {
  connections: number;
  seconds: number;
  requests: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  /** connection errors, timeouts and non-2xx answers together */
  errors: number;
  statusCodes: Record<string, number>;
}

export interface NextRequest {
  method: 'GET' | 'POST';
  path: string;
  token: string;
  body?: string;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function summarise(latencies: number[], seconds: number, connections: number, errors: number, statusCodes: Record<string, number>): LoadResult {
  const sorted = [...latencies].sort((a, b) => a - b);
  const non2xx = Object.entries(statusCodes).reduce((n, [code, count]) => (code.startsWith('2') ? n : n + count), 0);
  return {
    connections,
    seconds,
    requests: sorted.length,
    perSecond: sorted.length / seconds,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    mean: sorted.reduce((a, b) => a + b, 0) / (sorted.length || 1),
    errors: errors + non2xx,
    statusCodes,
  };
}

/**
 * Drives the service with autocannon for `seconds`: `next()` builds each request (its own body,
 * patient and token), so no two requests in flight repeat a visit. Latencies are taken from every
 * response (exact percentiles, not autocannon's histogram buckets).
 */
export async function load(port: number, options: { connections: number; seconds: number; next: () => NextRequest }): Promise<LoadResult> {
  const latencies: number[] = [];
  const codes: Record<string, number> = {};
  let failures = 0;
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections: options.connections,
        duration: options.seconds,
        timeout: 30,
        requests: [
          {
            setupRequest: (req) => {
              const n = options.next();
              return {
                ...req,
                method: n.method,
                path: n.path,
                body: n.body,
                headers: { authorization: `Bearer ${n.token}`, ...(n.body !== undefined ? { 'content-type': 'application/json' } : {}) },
              };
            },
          },
        ],
      },
      (err, result) => {
        if (err) return reject(err);
        failures = result.errors + result.timeouts;
        resolve();
      },
    );
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      latencies.push(ms);
      codes[status] = (codes[status] ?? 0) + 1;
    });
  });
  return summarise(latencies, (performance.now() - t0) / 1000, options.connections, failures, codes);
}
