/**
 * SQL writing a timestamptz as the API writes every timestamp (JavaScript's toISOString): UTC,
 * milliseconds, "Z" — whatever the session's TimeZone.
 */
export function isoTimestampSql(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}
