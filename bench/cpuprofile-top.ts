/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): the functions with the most self time,
 * the most inclusive time (the function and everything it called), and self time by package.
 *
 *   node node_modules/.cache/calcitrack-bench/bench/cpuprofile-top.js FILE.cpuprofile [--skip-ms N] [--top N]
 *
 * `--skip-ms` leaves out the first N ms of the profile (the service's start-up).
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Entry {
  name: string;
  ms: number;
  percent: number;
}

export interface ProfileSummary {
  sampledMs: number;
  self: Entry[];
  inclusive: Entry[];
  packages: Entry[];
}

/** Where a function lives: a package, node's own code, our src/, or V8's pseudo-frames. */
export function packageOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1];
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const src = /\/dist\/(src\/[^/]+)/.exec(url) ?? /\/(src\/[^/]+)/.exec(url);
  if (src) return src[1];
  return url.replace(/^file:\/\//, '').split('/').slice(-2).join('/');
}

function label(frame: CallFrame): string {
  const fn = frame.functionName || '(anonymous)';
  if (!frame.url) return fn;
  const nm = /node_modules\/(.+)$/.exec(frame.url);
  const where = nm ? nm[1] : frame.url.startsWith('node:') ? frame.url : frame.url.replace(/^.*\/(dist\/)?/, '');
  return `${fn} ${where}:${frame.lineNumber + 1}`;
}

export function summariseProfile(profile: CpuProfile, options: { skipMs?: number; top?: number } = {}): ProfileSummary {
  const top = options.top ?? 25;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const packages = new Map<string, number>();
  let t = 0;
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] / 1000; // µs → ms
    t += dt;
    if (t < (options.skipMs ?? 0)) continue;
    const node = byId.get(profile.samples[i]);
    if (!node) continue;
    total += dt;
    const name = label(node.callFrame);
    self.set(name, (self.get(name) ?? 0) + dt);
    const pkg = packageOf(node.callFrame.url, node.callFrame.functionName);
    packages.set(pkg, (packages.get(pkg) ?? 0) + dt);
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const n = byId.get(id)!;
      const l = label(n.callFrame);
      if (l === '(root)' || seen.has(l)) continue;
      seen.add(l);
      inclusive.set(l, (inclusive.get(l) ?? 0) + dt);
    }
  }
  const rank = (m: Map<string, number>): Entry[] =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => ({ name, ms: Math.round(ms), percent: Math.round((ms / total) * 1000) / 10 }));
  return { sampledMs: Math.round(total), self: rank(self), inclusive: rank(inclusive), packages: rank(packages) };
}

export function formatSummary(s: ProfileSummary): string {
  const table = (title: string, rows: Entry[]) => [`${title}`, ...rows.map((r) => `  ${r.percent.toFixed(1).padStart(5)} %  ${String(r.ms).padStart(6)} ms  ${r.name}`)].join('\n');
  return [`sampled ${s.sampledMs} ms`, table('self time by package', s.packages), table('self time', s.self), table('inclusive time', s.inclusive)].join('\n\n');
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const file = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
  if (!file) {
    console.error('usage: cpuprofile-top FILE.cpuprofile [--skip-ms N] [--top N]');
    process.exit(2);
  }
  const opt = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : undefined;
  };
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  console.log(formatSummary(summariseProfile(profile, { skipMs: opt('--skip-ms'), top: opt('--top') })));
}
