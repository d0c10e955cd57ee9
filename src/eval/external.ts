import { spawn } from 'node:child_process';
import { UserError } from '../errors.js';
import type { Genome, SearchSpace } from '../space/types.js';
import type { Evaluator, MetricInfo, MetricKind, Metrics } from '../core/metrics.js';

/*
 * Any program as an evaluator. Per architecture it receives one JSON object on stdin,
 *   {"space": "mbv3-mini", "arch": "<canonical string>", "genome": [3, 0, ...], "blocks": ["k5e4", "d3", ...]}
 * and answers with one JSON object of metrics on stdout, e.g. {"accuracy:mnist-val": 97.1, "latency:pi4": 12.5}.
 * mode 'per-arch' starts the command once per architecture (stdin: that one object, then EOF); mode 'batch' starts
 * it once per evaluate() call with one object per line (JSON Lines) and expects one metrics object per line back,
 * in the same order. stderr is the program's own: it is kept for error messages only.
 */

export interface ExternalEvaluatorOptions {
  readonly space: SearchSpace;
  /** A shell command line (run by /bin/sh), or argv to run without a shell. */
  readonly command: string | readonly string[];
  /** Metrics the command reports: ids (kind from the prefix: accuracy, latency, energy, flops, params) or full infos. */
  readonly metrics: readonly (string | MetricInfo)[];
  readonly mode?: 'per-arch' | 'batch';
  /** Milliseconds per invocation before the command's process group is killed (default: no limit). */
  readonly timeoutMs?: number;
  /** Per-arch mode: invocations running at once (default 1). */
  readonly concurrency?: number;
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
}

const KINDS: readonly MetricKind[] = ['accuracy', 'latency', 'energy', 'flops', 'params'];

function metricInfo(m: string | MetricInfo): MetricInfo {
  if (typeof m !== 'string') return m;
  const kind = KINDS.find((k) => m === k || m.startsWith(`${k}:`) || m.startsWith(`${k}-`));
  if (kind === undefined) throw new UserError(`--metric ${m}: expected an id starting with one of ${KINDS.join(', ')}`);
  return { id: m, kind, unit: '', source: 'measured', description: 'reported by an external command' };
}

export interface ExternalRequest {
  readonly space: string;
  readonly arch: string;
  readonly genome: readonly number[];
  readonly blocks: readonly string[];
}

export function externalRequest(space: SearchSpace, g: Genome): ExternalRequest {
  return { space: space.name, arch: space.format(g), genome: [...g], blocks: g.map((b, i) => space.nodes[i]!.blocks[b]!.id) };
}

export function createExternalEvaluator(options: ExternalEvaluatorOptions): Evaluator {
  const provides = options.metrics.map(metricInfo);
  if (provides.length === 0) throw new UserError('--metric: the external evaluator needs at least one metric id');
  const label = typeof options.command === 'string' ? options.command : options.command.join(' ');
  if (label.trim() === '') throw new UserError('--command: expected a command to run');
  const mode = options.mode ?? 'per-arch';
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new UserError(`--concurrency: expected a positive integer, got ${concurrency}`);
  if (options.timeoutMs !== undefined && !(options.timeoutMs > 0)) throw new UserError(`--timeout: expected a positive number, got ${options.timeoutMs}`);
  const fail = (what: string, archs: string): never => {
    throw new UserError(`external evaluator "${label}" ${what} (${archs})`);
  };

  const check = (raw: unknown, arch: string): Metrics => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(`did not print a JSON object of metrics`, `arch ${arch}`);
    const obj = raw as Record<string, unknown>;
    for (const m of provides) {
      const v = obj[m.id];
      if (v === undefined) fail(`reported no metric "${m.id}" (got: ${Object.keys(obj).join(', ') || 'nothing'})`, `arch ${arch}`);
      if (typeof v !== 'number' || !Number.isFinite(v)) fail(`reported "${m.id}": ${JSON.stringify(v)}, not a finite number`, `arch ${arch}`);
    }
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(obj)) if (typeof v === 'number') out[k] = v;
    return out;
  };

  const parse = (text: string, arch: string): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      const shown = text.trim().slice(0, 80).replace(/\s+/g, ' ');
      return fail(`printed invalid JSON: ${shown === '' ? '(nothing)' : JSON.stringify(shown)}`, `arch ${arch}`);
    }
  };

  const invoke = async (input: string, archs: string, signal?: AbortSignal): Promise<string> => {
    const r = await runCommand(options, input, signal);
    if (r.timedOut) fail(`timed out after ${(options.timeoutMs! / 1000).toFixed(1)} s`, archs);
    if (r.aborted) throw new Error(`external evaluator "${label}" aborted`);
    if (r.code !== 0) {
      const last = r.stderr.trim().split('\n').pop()?.slice(0, 200) ?? '';
      fail(`exited with ${r.code === null ? `signal ${r.signal}` : `code ${r.code}`}${last ? `: ${last}` : ''}`, archs);
    }
    return r.stdout;
  };

  return {
    name: `external:${label}`,
    provides,
    async evaluate(archs, ctx) {
      const requests = archs.map((g) => externalRequest(options.space, g));
      if (mode === 'batch') {
        if (requests.length === 0) return [];
        const stdout = await invoke(requests.map((r) => JSON.stringify(r) + '\n').join(''), `${requests.length} archs`, ctx?.signal);
        const lines = stdout.split('\n').filter((l) => l.trim() !== '');
        if (lines.length !== requests.length) fail(`printed ${lines.length} line(s) for ${requests.length} architectures`, 'batch mode');
        return lines.map((l, i) => check(parse(l, requests[i]!.arch), requests[i]!.arch));
      }
      const out = new Array<Metrics>(requests.length);
      let next = 0;
      const worker = async () => {
        while (next < requests.length) {
          const i = next++;
          const req = requests[i]!;
          const stdout = await invoke(JSON.stringify(req) + '\n', `arch ${req.arch}`, ctx?.signal);
          out[i] = check(parse(stdout, req.arch), req.arch);
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, worker));
      return out;
    },
  };
}

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  aborted: boolean;
}

function runCommand(options: ExternalEvaluatorOptions, input: string, signal?: AbortSignal): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const [file, args, shell] = typeof options.command === 'string' ? [options.command, [], true] : [options.command[0]!, options.command.slice(1), false];
    // Own process group, so a timeout also kills what a shell command started.
    const child = spawn(file, args, { shell, cwd: options.cwd, env: options.env ?? process.env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let aborted = false;
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => ((timedOut = true), killGroup()), options.timeoutMs);
    const onAbort = () => ((aborted = true), killGroup());
    signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    // A command that exits without reading its input closes the pipe: not an error of ours.
    child.stdin.on('error', () => {});
    child.stdin.end(input);
    child.on('error', (e) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      reject(new UserError(`external evaluator "${typeof options.command === 'string' ? options.command : options.command.join(' ')}" could not start: ${e.message}`));
    });
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve({ code, signal: sig, stdout, stderr, timedOut, aborted });
    });
  });
}
