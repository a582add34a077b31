import type { DataSource } from 'typeorm';

export interface ChainBreak {
  clinicId: string | null;
  seq: number;
  id: string;
  problem: string;
}

/**
 * Walks every clinic's chain, and the chain of events of no clinic, in order and names the first
 * row whose hash no longer matches its contents, or whose link to the row before it is broken (a
 * row altered, inserted or removed).
 */
export async function verifyAuditChains(db: DataSource): Promise<{ checked: number; breaks: ChainBreak[] }> {
  const unscoped: ChainRow[] = await db.query(`
    SELECT id, NULL AS clinic_id, seq,
           hash = audit_event_unscoped_digest(a) AS ok_hash,
           prev_hash = coalesce(lag(hash) OVER w, repeat('0', 64)) AS ok_link,
           seq = coalesce(lag(seq) OVER w, 0) + 1 AS ok_seq
      FROM audit_events_unscoped a
    WINDOW w AS (ORDER BY seq)
     ORDER BY seq`);
  const scoped: ChainRow[] = await db.query(`
    SELECT id, clinic_id, seq,
           hash = audit_event_digest(a) AS ok_hash,
           prev_hash = coalesce(lag(hash) OVER w, repeat('0', 64)) AS ok_link,
           seq = coalesce(lag(seq) OVER w, 0) + 1 AS ok_seq
      FROM audit_events a
    WINDOW w AS (PARTITION BY clinic_id ORDER BY seq)
     ORDER BY clinic_id, seq`);
  const breaks: ChainBreak[] = [];
  const seen = new Set<string>();
  for (const r of [...unscoped, ...scoped]) {
    const chain = r.clinic_id ?? '-';
    if (seen.has(chain)) continue;
    const problem = !r.ok_hash ? 'its contents do not match its hash (altered)' : !r.ok_link ? 'it does not link to the row before it' : !r.ok_seq ? 'a row before it is missing' : null;
    if (problem) {
      breaks.push({ clinicId: r.clinic_id, seq: Number(r.seq), id: r.id, problem });
      seen.add(chain);
    }
  }
  return { checked: unscoped.length + scoped.length, breaks };
}

interface ChainRow {
  id: string;
  clinic_id: string | null;
  seq: string;
  ok_hash: boolean;
  ok_link: boolean;
  ok_seq: boolean;
}
