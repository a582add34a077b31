/**
 * B3 alone (not a test): `npm run bench:history` (add `-- --profile` for a CPU profile of the
 * service under the long-history visits, in bench/profile/). Seeds the quick shape, then measures
 * the rules' read (CLINICAL_CONTEXT) through pg for a patient whose 3 deposits have 1 and 1,000
 * earlier evaluations, and the visit p50 of both through the service, twice, at 1 connection.
 * Takes about a minute instead of the whole suite's three; the figures are indicative only.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { CLINICAL_CONTEXT } from '../src/alerts/clinical-history.loader';
import { migrate } from '../src/database/database-runtime';
import { benchDatabase } from './lib/database';
import { loginAll } from './lib/http';
import { load } from './lib/load';
import { QUICK, seed, type VisitPatient } from './lib/seed';
import { newJwtSecret, ROOT, startService } from './lib/service';
import { bySessionClinic, visitDate, visitRequests } from './lib/workloads';

const PROFILE = process.argv.includes('--profile');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The rules' read as the service sends it, on one connection as the service's role: median ms and the evaluations' JSON size. */
async function contextRead(url: string, pool: VisitPatient[]): Promise<{ ms: number; bytes: number }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < 40; i++) {
      const p = pool[i % pool.length];
      await c.query('BEGIN');
      await c.query(`SELECT set_config('app.clinic_id', $1, true)`, [p.clinicId]);
      const t = performance.now();
      const r = await c.query<{ evaluations: unknown }>(CLINICAL_CONTEXT, [p.clinicId, p.patientId, p.deposits.map((d) => d.id), visitDate(), null, null, false]);
      if (i >= 10) times.push(performance.now() - t); // the first 10 warm up
      bytes = JSON.stringify(r.rows[0].evaluations).length;
      await c.query('COMMIT');
    }
    return { ms: median(times), bytes };
  } finally {
    await c.end();
  }
}

async function main(): Promise<void> {
  const db = await benchDatabase();
  try {
    await migrate(db.url);
    const seeded = await seed(db.url, QUICK, () => undefined);
    for (const [name, pool] of [['1 earlier', seeded.shortPatients], [`${QUICK.longHistory} earlier`, seeded.longPatients]] as const) {
      const r = await contextRead(db.url, pool);
      console.log(`the rules' read, ${name} evaluation(s) per deposit: ${r.ms.toFixed(2)} ms through pg (median), evaluations ${(r.bytes / 1024).toFixed(0)} kB of JSON`);
    }
    const dir = join(ROOT, 'bench', 'profile');
    mkdirSync(dir, { recursive: true });
    const nodeFlags = PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=B3-${Date.now()}.cpuprofile`] : [];
    const service = await startService({ databaseUrl: db.url, jwtSecret: newJwtSecret(), workDir: db.workDir, logFile: join(db.workDir, 'service.log'), nodeFlags });
    try {
      const byClinic = bySessionClinic(await loginAll(service.port, seeded.users.flat(), seeded.password));
      const date = visitDate();
      const run = (pool: VisitPatient[], seconds: number) => load(service.port, { connections: 1, seconds, next: visitRequests([pool], byClinic, date).next });
      await run(seeded.shortPatients, 2);
      await run(seeded.longPatients, 2);
      for (let round = 1; round <= 2; round++) {
        const short = await run(seeded.shortPatients, SECONDS);
        const long = await run(seeded.longPatients, PROFILE ? SECONDS * 2 : SECONDS);
        console.log(`B3 round ${round}: p50 ${long.p50.toFixed(1)} vs ${short.p50.toFixed(1)} ms = ${(long.p50 / short.p50).toFixed(2)}× (errors ${short.errors + long.errors})`);
      }
    } finally {
      await service.stop();
    }
    if (PROFILE) console.log(`profile in bench/profile/ (summarise: npm run bench:profile-top -- <file>)`);
  } finally {
    await db.cleanup();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
