import type { CookieOptions, Request, Response } from 'express';

/**
 * The refresh token for browsers: an `httpOnly` cookie no script can read, sent only to the refresh
 * route (`Path`), never cross-site (`SameSite=Strict`), and `Secure` whenever the request came over
 * https (directly or through a trusted proxy) — plain http://localhost keeps working. Bearer clients
 * keep sending the token in the body and ignore the cookie.
 */
export const REFRESH_COOKIE = 'calcitrack_refresh';
export const REFRESH_COOKIE_PATH = '/api/v1/auth/refresh';

/**
 * Beside it, a hint the page may read: `calcitrack_session=1`, no token, expiring with the session.
 * Without it a fresh page knows there is no session to restore and skips the refresh call (which
 * would only answer 400 and leave an error in the browser's console).
 */
export const SESSION_HINT_COOKIE = 'calcitrack_session';

function options(req: Request, expires: Date): CookieOptions {
  return { httpOnly: true, sameSite: 'strict', secure: req.secure, path: REFRESH_COOKIE_PATH, expires };
}

function hintOptions(req: Request, expires: Date): CookieOptions {
  return { httpOnly: false, sameSite: 'strict', secure: req.secure, path: '/', expires };
}

export function setRefreshCookie(req: Request, res: Response, refreshToken: string, sessionExpiresAt: Date): void {
  res.cookie(REFRESH_COOKIE, refreshToken, options(req, sessionExpiresAt));
  res.cookie(SESSION_HINT_COOKIE, '1', hintOptions(req, sessionExpiresAt));
}

/** Expired cookies with the same names and paths: the browser drops them (logout, a refused refresh). */
export function clearRefreshCookie(req: Request, res: Response): void {
  res.cookie(REFRESH_COOKIE, '', options(req, new Date(0)));
  res.cookie(SESSION_HINT_COOKIE, '', hintOptions(req, new Date(0)));
}

/** The cookie's value, or null. Only the one cookie is parsed; others are never looked at. */
export function refreshCookieOf(req: Request): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== REFRESH_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    return value === '' ? null : value;
  }
  return null;
}

/**
 * A cookie-based refresh must say `Content-Type: application/json`: a cross-site form cannot send
 * that, and a cross-origin script cannot without a CORS preflight (refused unless CORS_ORIGINS
 * allows it). With SameSite=Strict this keeps another site from rotating a user's session.
 */
export function isJsonRequest(req: Request): boolean {
  return /^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '');
}
