/**
 * Regenerates docs/examples/: the demo patient's report (MRN DEMO-0001) in every format, plus a PNG
 * of the PDF's first page when pdftoppm is installed.
 *
 *   npm run examples
 *
 * It runs the real service exactly as `npm start` does (src/main.ts, from source through ts-node, so
 * no build is needed and dist/ is left alone) on a throwaway bundled PostgreSQL in a temporary
 * DATA_DIR: migrations, then the demo clinic seeded on first start. It logs in as the demo physician
 * over HTTP, downloads each format, writes the files, then stops the service with SIGTERM (which
 * stops its PostgreSQL) and deletes the temporary directory. The demo's dates are relative to
 * today, so the files change from day to day.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const OUT = join(ROOT, 'docs', 'examples');
const DEMO_MRN = 'DEMO-0001';
const DEMO_PHYSICIAN = { email: 'physician@demo.local', password: 'calcitrack-demo' };
const START_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 60_000;

const FILES = {
  json: 'patient-report.json',
  csv: 'patient-report.csv',
  pdf: 'patient-report.pdf',
  fhir: 'patient-report.fhir.json',
} as const;
const PNG_BASENAME = 'patient-report-page1';

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => res(port));
    });
  });
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The service's own output, kept to explain a failure (it never holds patient data: ids only). */
class Service {
  private readonly output: string[] = [];
  readonly exited: Promise<number | null>;

  constructor(private readonly child: ChildProcess) {
    const keep = (chunk: Buffer) => {
      this.output.push(chunk.toString('utf8'));
      if (this.output.length > 200) this.output.shift();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((r) => child.once('exit', (code) => r(code)));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  log(): string {
    return this.output.join('').split('\n').slice(-40).join('\n');
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timer);
  }
}

/** A service killed hard leaves its PostgreSQL running: stop it from its pid file. */
async function stopOrphanedPostgres(dataDir: string): Promise<void> {
  const pidFile = join(dataDir, 'postgres', 'pg', 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!Number.isInteger(pid) || pid <= 0 || !alive()) return;
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100 && alive(); i++) await pause(100);
}

async function waitUntilHealthy(base: string, service: Service): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (!service.running) throw new Error(`the service exited during start-up:\n${service.log()}`);
    try {
      const res = await fetch(`${base}/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await pause(500);
  }
  throw new Error(`the service did not become healthy within ${START_TIMEOUT_MS / 1000} s:\n${service.log()}`);
}

async function call(base: string, path: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(`${base}${path}`, init);
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path} answered ${res.status}: ${await res.text()}`);
  return res;
}

async function generate(base: string): Promise<void> {
  const login = await call(base, '/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(DEMO_PHYSICIAN) });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const auth = { Authorization: `Bearer ${accessToken}` };
  const found = (await (await call(base, `/api/v1/patients?search=${DEMO_MRN}`, { headers: auth })).json()) as { items: { id: string; mrn: string }[] };
  const patient = found.items.find((p) => p.mrn === DEMO_MRN);
  if (!patient) throw new Error(`no demo patient ${DEMO_MRN}: was the demo clinic seeded?`);

  mkdirSync(OUT, { recursive: true });
  for (const [format, file] of Object.entries(FILES)) {
    const res = await call(base, `/api/v1/patients/${patient.id}/report?format=${format}`, { headers: auth });
    const bytes = Buffer.from(await res.arrayBuffer());
    // the JSON report comes compact over the wire; pretty-printed, it reads (and diffs) better
    const content = format === 'json' ? `${JSON.stringify(JSON.parse(bytes.toString('utf8')), null, 2)}\n` : bytes;
    writeFileSync(join(OUT, file), content);
    console.log(`wrote docs/examples/${file} (${res.headers.get('content-type')}, ${bytes.length} bytes)`);
  }

  const pdftoppm = spawnSync('pdftoppm', ['-v'], { encoding: 'utf8' });
  if (pdftoppm.error) {
    console.log(`pdftoppm is not installed: docs/examples/${PNG_BASENAME}.png was left as it was`);
    return;
  }
  const png = spawnSync('pdftoppm', ['-png', '-r', '100', '-f', '1', '-l', '1', '-singlefile', join(OUT, FILES.pdf), join(OUT, PNG_BASENAME)], { encoding: 'utf8' });
  if (png.status !== 0) throw new Error(`pdftoppm failed: ${png.stderr}`);
  console.log(`wrote docs/examples/${PNG_BASENAME}.png (first page of the PDF)`);
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'calcitrack-examples-'));
  // run as root, the bundled PostgreSQL is the "postgres" user: it must be able to enter the folder
  chmodSync(dataDir, 0o755);
  const [port, pgPort] = [await freePort(), await freePort()];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(port),
    BUNDLED_PG_PORT: String(pgPort),
    LOG_LEVEL: 'warn',
    BACKGROUND_JOBS: 'off',
    TS_NODE_TRANSPILE_ONLY: 'true',
  };
  // the bundled database is used only without DATABASE_URL: the demo is never seeded on a real server
  for (const name of ['DATABASE_URL', 'JWT_SECRET', 'BOOTSTRAP_CLINIC_NAME', 'BOOTSTRAP_ADMIN_EMAIL', 'BOOTSTRAP_ADMIN_PASSWORD']) delete env[name];

  console.log(`starting the service on a throwaway bundled PostgreSQL (${dataDir})`);
  const service = new Service(spawn(process.execPath, ['-r', 'ts-node/register', join(ROOT, 'src', 'main.ts')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] }));
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitUntilHealthy(base, service);
    await generate(base);
  } finally {
    await service.stop();
    await stopOrphanedPostgres(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error((err as Error).message ?? err);
  process.exit(1);
});
