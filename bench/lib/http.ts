import { request as httpRequest } from 'node:http';

export interface HttpAnswer {
  status: number;
  body: Buffer;
  ms: number;
}

/** One request on its own connection; the body is read whole. */
export function call(port: number, method: string, path: string, options: { token?: string; json?: unknown } = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const body = options.json === undefined ? undefined : JSON.stringify(options.json);
    const headers: Record<string, string | number> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (body !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    const t0 = performance.now();
    const req = httpRequest({ host: '127.0.0.1', port, path, method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), ms: performance.now() - t0 }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export async function callJson<T>(port: number, method: string, path: string, options: { token?: string; json?: unknown; expect?: number } = {}): Promise<T> {
  const answer = await call(port, method, path, options);
  if (answer.status !== (options.expect ?? 200)) throw new Error(`${method} ${path} answered ${answer.status}: ${answer.body.toString('utf8').slice(0, 300)}`);
  return JSON.parse(answer.body.toString('utf8')) as T;
}

/** A bench user's login session: the access token, and what the SQL baseline needs from it. */
export interface BenchSession {
  email: string;
  clinicId: string;
  userId: string;
  sessionId: string;
  accessToken: string;
  refreshToken: string;
  at: number;
}

function claimsOf(token: string): { sub: string; sid: string; cid: string } {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { sub: string; sid: string; cid: string };
}

function sessionOf(email: string, answer: { accessToken: string; refreshToken: string }): BenchSession {
  const claims = claimsOf(answer.accessToken);
  return { email, clinicId: claims.cid, userId: claims.sub, sessionId: claims.sid, accessToken: answer.accessToken, refreshToken: answer.refreshToken, at: Date.now() };
}

/**
 * Logs every user in through the API, two at a time (each login verifies an argon2 hash). The
 * bench users' passwords are right, so the failed-login lockouts never apply; the per-address
 * limit on public routes (RATE_LIMIT_PER_MINUTE) is far above the count.
 */
export async function loginAll(port: number, emails: string[], password: string): Promise<BenchSession[]> {
  const out: BenchSession[] = new Array(emails.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < emails.length; i = next++) {
      const answer = await callJson<{ accessToken: string; refreshToken: string }>(port, 'POST', '/api/v1/auth/login', { json: { email: emails[i], password } });
      out[i] = sessionOf(emails[i], answer);
    }
  };
  await Promise.all([worker(), worker()]);
  return out;
}

/** Access tokens last 15 minutes: a long run refreshes them (the refresh token rotates) between phases. */
export async function refreshIfOld(port: number, sessions: BenchSession[], maxAgeMs = 8 * 60_000): Promise<void> {
  for (const s of sessions) {
    if (Date.now() - s.at < maxAgeMs) continue;
    const answer = await callJson<{ accessToken: string; refreshToken: string }>(port, 'POST', '/api/v1/auth/refresh', { json: { refreshToken: s.refreshToken } });
    Object.assign(s, sessionOf(s.email, answer));
  }
}
