import { DomainError } from '../errors/domain-error';

/** A record's ETag is its version number. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/**
 * The version an `If-Match` header asks for: undefined when absent or `*` (no check). A header that
 * names no version of ours can never match, so it is stale (412), not malformed.
 */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '' || header.trim() === '*') return undefined;
  const m = /^\s*(?:W\/)?"(\d{1,9})"\s*$/.exec(header);
  if (!m) return -1;
  return Number(m[1]);
}

export function assertVersion(current: number, expected: number | undefined, what: string): void {
  if (expected !== undefined && expected !== current) {
    throw DomainError.preconditionFailed(what);
  }
}
