import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import { fieldError, UserError } from '../errors.js';
import type { Genome, SearchSpace } from '../space/types.js';
import { failedMetrics, type EvaluationFailure } from './failure.js';
import type { Evaluator, MetricInfo, MetricKind, Metrics } from '../core/metrics.js';

/*
 * Any program as an evaluator. Per architecture it receives one JSON object on stdin,
 *   {"space": "mbv3-mini", "arch": "<canonical string>", "genome": [3, 0, ...], "blocks": ["k5e4", "d3", ...]}
 * and answers with one JSON object of metrics on stdout, e.g. {"accuracy:mnist-val": 97.1, "latency:pi4": 12.5}.
 * mode 'per-arch' starts the command once per architecture (stdin: that one object, then EOF); mode 'batch' starts
 * it once per evaluate() call with one object per line (JSON Lines) and expects one metrics object per line back,
 * in the same order. stderr is the program's own: its last line is kept for error messages only.
 *
 * Faults. An architecture fails when its invocation exits non-zero, runs past the timeout, prints more than
 * `maxOutputBytes` on stdout, or answers with something that is not a JSON object holding every declared metric
 * as a finite number. Each failure is one line naming the command and the architecture. A failed architecture is
 * tried again up to `retries` times, after a pause that doubles each time. What happens after the last try is the
 * failure policy: 'throw' (the default, without onFailure) rejects the whole evaluate() with that line as a
 * UserError; 'record' gives the architecture a row of NaN metrics marked with its failure (failure.ts: failureOf),
 * tells onFailure, and returns every other architecture's metrics as usual, unless `maxConsecutiveFailures`
 * architectures have failed in a row: then the trainer is broken, not unlucky, and evaluate() rejects with a
 * UserError (the failures before it were told to onFailure).
 *
 * Batch mode. The timeout is per answer: it restarts whenever a line of stdout is completed, so a batch of many
 * networks may run as long as it keeps answering. Answers printed before a crash, a hang or an overflow are kept;
 * the architecture the command was working on (the first without an answer; the last, when a command that answered
 * every one still exits non-zero) is charged with the failure, and the ones after it are sent again in a new
 * invocation without being charged. A command that prints more lines than it was sent architectures cannot be
 * aligned: every architecture of that invocation is charged.
 *
 * Not failures of one architecture, and never retried: a command that cannot be started at all (no such program,
 * or a shell reporting "command not found" with exit 126 or 127) is a UserError; an abort through ctx.signal
 * rejects with an Error.
 */

export interface ExternalEvaluatorOptions {
  readonly space: SearchSpace;
  /** A shell command line (run by /bin/sh), or argv to run without a shell. */
  readonly command: string | readonly string[];
  /** Metrics the command reports: ids (kind from the prefix: accuracy, latency, energy, flops, params) or full infos. */
  readonly metrics: readonly (string | MetricInfo)[];
  readonly mode?: 'per-arch' | 'batch';
  /**
   * Milliseconds an evaluation may take before the command's process group is killed (default: no limit): per
   * invocation in per-arch mode, per answer line in batch mode.
   */
  readonly timeoutMs?: number;
  /** Per-arch mode: invocations running at once (default 1). */
  readonly concurrency?: number;
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Further tries of a failed architecture (default 0). */
  readonly retries?: number;
  /** Pause before the first retry, doubled before each further one, at most 30 s (default 500 ms). */
  readonly retryDelayMs?: number;
  /** Bytes of stdout one answer may take before the command is killed and the architecture fails (default 1 MiB). */
  readonly maxOutputBytes?: number;
  /** After the last try: 'throw' rejects evaluate(); 'record' returns NaN metrics marked with the failure. */
  readonly failures?: 'throw' | 'record';
  /** Told of every architecture that failed its last try (with 'record', the default when this is given). */
  readonly onFailure?: (failure: EvaluationFailure) => void;
  /**
   * With 'record': this many architectures failing their last try in a row (none answered in between, across
   * evaluate() calls) stop the evaluation with a UserError, as a trainer that fails everything is broken, not unlucky
   * (default 25; Infinity never stops).
   */
  readonly maxConsecutiveFailures?: number;
  /** One line per retry, e.g. for the CLI's log: `retry 2 of 3 in 1.0 s: <reason>`. */
  readonly log?: (line: string) => void;
}

export const DEFAULT_MAX_OUTPUT_BYTES = 1 << 20;
export const DEFAULT_MAX_CONSECUTIVE_FAILURES = 25;
const DEFAULT_RETRY_DELAY_MS = 500;
const MAX_RETRY_DELAY_MS = 30_000;
const STDERR_KEEP = 64 * 1024;

const KINDS: readonly MetricKind[] = ['accuracy', 'latency', 'energy', 'flops', 'params'];

/** The kind of a metric id (`accuracy:val`, `latency-pi4`, `flops`), or undefined when no kind prefixes it. */
export function metricKindOf(id: string): MetricKind | undefined {
  return KINDS.find((k) => id === k || id.startsWith(`${k}:`) || id.startsWith(`${k}-`));
}

function metricInfo(m: string | MetricInfo): MetricInfo {
  if (typeof m !== 'string') return m;
  const kind = metricKindOf(m);
  if (kind === undefined) throw fieldError('metrics', `${m}: expected an id starting with one of ${KINDS.join(', ')}`);
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

function bytesText(n: number): string {
  if (n >= 1 << 20 && n % (1 << 20) === 0) return `${n / (1 << 20)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

function secondsText(ms: number): string {
  return ms >= 100 ? `${(ms / 1000).toFixed(1)} s` : `${ms} ms`;
}

/** What one answer turned out to be: metrics, or why not (without the command and arch, added by the caller). */
type Answer = { readonly metrics: Metrics } | { readonly what: string };

/** A bare NaN or Infinity (Python's json.dumps writes them) becomes this string, so the message can name it. */
const NON_FINITE = '\u0000';

function parseAnswer(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // JSON text of the marker string: a raw control character is not allowed inside a JSON string.
    const marked = text.replace(/([:[,]\s*)(-?Infinity|NaN)(?=\s*[,}\]])/g, '$1"\\u0000$2"');
    if (marked !== text) {
      try {
        return JSON.parse(marked);
      } catch {
        // Invalid anyway: report the original text.
      }
    }
    const shown = text.trim().slice(0, 80).replace(/\s+/g, ' ');
    return { [NON_FINITE]: `printed invalid JSON: ${shown === '' ? '(nothing)' : JSON.stringify(shown)}` };
  }
}

function shownValue(v: unknown): string {
  return typeof v === 'string' && v.startsWith(NON_FINITE) ? v.slice(1) : JSON.stringify(v) ?? String(v);
}

export function createExternalEvaluator(options: ExternalEvaluatorOptions): Evaluator {
  const provides = options.metrics.map(metricInfo);
  if (provides.length === 0) throw fieldError('metrics', 'the external evaluator needs at least one metric id');
  const label = typeof options.command === 'string' ? options.command : options.command.join(' ');
  if (label.trim() === '') throw fieldError('command', 'expected a command to run');
  const mode = options.mode ?? 'per-arch';
  if (mode !== 'per-arch' && mode !== 'batch') throw fieldError('mode', `expected per-arch or batch, got ${String(mode)}`);
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw fieldError('concurrency', `expected a positive integer, got ${concurrency}`);
  if (options.timeoutMs !== undefined && !(options.timeoutMs > 0)) throw fieldError('timeoutMs', `expected a positive number of milliseconds, got ${options.timeoutMs}`);
  const retries = options.retries ?? 0;
  if (!Number.isInteger(retries) || retries < 0) throw fieldError('retries', `expected a non-negative integer, got ${retries}`);
  const retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
  if (!(retryDelayMs >= 0)) throw fieldError('retryDelayMs', `expected a non-negative number of milliseconds, got ${retryDelayMs}`);
  const maxOutputBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  if (!Number.isInteger(maxOutputBytes) || maxOutputBytes < 1) throw fieldError('maxOutputBytes', `expected a positive integer number of bytes, got ${maxOutputBytes}`);
  const policy = options.failures ?? (options.onFailure ? 'record' : 'throw');
  if (policy !== 'throw' && policy !== 'record') throw fieldError('failures', `expected throw or record, got ${String(policy)}`);
  const maxConsecutive = options.maxConsecutiveFailures ?? DEFAULT_MAX_CONSECUTIVE_FAILURES;
  if (!(maxConsecutive >= 1)) throw fieldError('maxConsecutiveFailures', `expected a positive number, got ${maxConsecutive}`);
  // Architectures that failed their last try since the last one answered, across evaluate() calls.
  let streak = 0;
  const ids = provides.map((m) => m.id);
  const line = (what: string, where: string) => `external evaluator "${label}" ${what} (${where})`;

  const check = (raw: unknown): Answer => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { what: 'did not print a JSON object of metrics' };
    const obj = raw as Record<string, unknown>;
    const invalid = obj[NON_FINITE];
    if (typeof invalid === 'string') return { what: invalid };
    for (const m of provides) {
      const v = obj[m.id];
      if (v === undefined) return { what: `reported no metric "${m.id}" (got: ${Object.keys(obj).join(', ') || 'nothing'})` };
      if (typeof v !== 'number' || !Number.isFinite(v)) return { what: `reported "${m.id}": ${shownValue(v)}, not a finite number` };
    }
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(obj)) if (typeof v === 'number') out[k] = v;
    return { metrics: out };
  };

  /** Why an invocation as a whole failed (killed, non-zero exit), or null; throws for a command that cannot run. */
  const invocationFault = (r: RunResult): string | null => {
    if (r.aborted) throw new Error(`external evaluator "${label}" aborted`);
    if (r.timedOut) return `timed out after ${secondsText(options.timeoutMs!)}`;
    if (r.overflow) return `printed more than ${bytesText(maxOutputBytes)} on stdout (log to stderr)`;
    if (r.code === 0) return null;
    const last = r.stderr.trim().split('\n').pop()?.trim().slice(0, 200) ?? '';
    const exit = `exited with ${r.code === null ? `signal ${r.signal}` : `code ${r.code}`}${last ? `: ${last}` : ''}`;
    // The shell's "not found" / "not executable": every architecture would fail the same way.
    if (typeof options.command === 'string' && (r.code === 126 || r.code === 127)) throw new UserError(`external evaluator "${label}" could not run: ${exit}`);
    return exit;
  };

  const run = (input: string, perLine: boolean, signal: AbortSignal) =>
    runCommand(options, label, input, { perLine, maxOutputBytes, signal });

  return {
    name: `external:${label}`,
    provides,
    async evaluate(archs, ctx) {
      const requests = archs.map((g) => externalRequest(options.space, g));
      const out = new Array<Metrics>(requests.length);
      if (requests.length === 0) return out;
      // One signal for the caller's abort and ours: a thrown failure stops the invocations still running.
      const stop = new AbortController();
      const outer = ctx?.signal;
      const onOuter = () => stop.abort();
      if (outer?.aborted) throw new Error(`external evaluator "${label}" aborted`);
      outer?.addEventListener('abort', onOuter, { once: true });
      const attempts = requests.map(() => 0);

      /** Charges architecture i with a failed try; true when it may be tried again. */
      const charge = (i: number, reason: string): boolean => {
        attempts[i]!++;
        if (attempts[i]! <= retries) {
          options.log?.(`retry ${attempts[i]} of ${retries} in ${secondsText(backoff(attempts[i]!))}: ${reason}`);
          return true;
        }
        const failure: EvaluationFailure = { genome: [...archs[i]!], arch: requests[i]!.arch, reason, attempts: attempts[i]! };
        if (policy === 'throw') {
          options.onFailure?.(failure);
          throw new UserError(reason);
        }
        out[i] = failedMetrics(ids, failure);
        options.onFailure?.(failure);
        if (++streak >= maxConsecutive) {
          const what = reason.slice(`external evaluator "${label}" `.length);
          throw new UserError(`external evaluator "${label}" failed ${streak} architectures in a row and is stopped; the last ${what}`);
        }
        return false;
      };
      const answered = (i: number, metrics: Metrics) => {
        out[i] = metrics;
        streak = 0;
      };
      const backoff = (attempt: number) => Math.min(MAX_RETRY_DELAY_MS, retryDelayMs * 2 ** (attempt - 1));

      const perArch = async (i: number) => {
        const req = requests[i]!;
        const where = `arch ${req.arch}`;
        for (;;) {
          const r = await run(JSON.stringify(req) + '\n', false, stop.signal);
          const fault = invocationFault(r);
          const answer: Answer = fault !== null ? { what: fault } : check(parseAnswer(r.stdout));
          if ('metrics' in answer) return answered(i, answer.metrics);
          if (!charge(i, line(answer.what, where))) return;
          await pause(backoff(attempts[i]!), stop.signal);
        }
      };

      const batch = async () => {
        let pending = requests.map((_, i) => i);
        while (pending.length > 0) {
          const r = await run(pending.map((i) => JSON.stringify(requests[i]) + '\n').join(''), true, stop.signal);
          const fault = invocationFault(r);
          // After a kill the last line may be cut short: only lines that were finished count.
          const text = fault !== null && (r.timedOut || r.overflow) && !r.stdout.endsWith('\n') ? r.stdout.slice(0, r.stdout.lastIndexOf('\n') + 1) : r.stdout;
          const lines = text.split('\n').filter((l) => l.trim() !== '');
          const size = pending.length;
          const inBatch = (i: number) => `arch ${requests[i]!.arch}${size > 1 ? `, in a batch of ${size}` : ''}`;
          const again: number[] = [];
          let charged = false;
          if (lines.length > size) {
            const what = `printed ${lines.length} line(s) for ${size} architecture${size === 1 ? '' : 's'}`;
            for (const i of pending) {
              charged = true;
              if (charge(i, line(what, inBatch(i)))) again.push(i);
            }
          } else {
            lines.forEach((l, k) => {
              const i = pending[k]!;
              const answer = check(parseAnswer(l));
              // A command that answered every architecture and then failed: its last answer is not trusted.
              const last = k === size - 1 && fault !== null;
              if ('metrics' in answer && !last) answered(i, answer.metrics);
              else {
                charged = true;
                const what = 'metrics' in answer ? fault! : answer.what;
                if (charge(i, line(what, inBatch(i)))) again.push(i);
              }
            });
            if (lines.length < size) {
              const i = pending[lines.length]!;
              const what = fault ?? `printed ${lines.length} line(s) for ${size} architecture${size === 1 ? '' : 's'}`;
              charged = true;
              if (charge(i, line(what, inBatch(i)))) again.push(i);
              // The ones after it were never reached: sent again, not charged.
              again.push(...pending.slice(lines.length + 1));
            }
          }
          pending = again.sort((a, b) => a - b);
          // Retried architectures wait as they would alone; ones only resent (never charged) do not.
          const tries = Math.max(0, ...pending.map((i) => attempts[i]!));
          if (charged && tries > 0) await pause(backoff(tries), stop.signal);
        }
      };

      try {
        if (mode === 'batch') await batch();
        else {
          let next = 0;
          const worker = async () => {
            while (next < requests.length && !stop.signal.aborted) await perArch(next++);
          };
          await Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, worker));
        }
        if (stop.signal.aborted) throw new Error(`external evaluator "${label}" aborted`);
        return out;
      } catch (e) {
        stop.abort();
        throw e;
      } finally {
        outer?.removeEventListener('abort', onOuter);
      }
    },
  };
}

/** Resolves after `ms`, or at once when the signal aborts (the caller's next invocation then reports the abort). */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  /** The last STDERR_KEEP characters of stderr. */
  stderr: string;
  timedOut: boolean;
  overflow: boolean;
  aborted: boolean;
}

interface RunSettings {
  /** Batch mode: the timeout restarts and the output cap applies per line of stdout. */
  readonly perLine: boolean;
  readonly maxOutputBytes: number;
  readonly signal: AbortSignal;
}

function runCommand(options: ExternalEvaluatorOptions, label: string, input: string, s: RunSettings): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    if (s.signal.aborted) {
      resolve({ code: null, signal: null, stdout: '', stderr: '', timedOut: false, overflow: false, aborted: true });
      return;
    }
    const [file, args, shell] = typeof options.command === 'string' ? [options.command, [], true] : [options.command[0]!, options.command.slice(1), false];
    // Own process group, so a timeout also kills what a shell command started.
    const child = spawn(file, args, { shell, cwd: options.cwd, env: options.env ?? process.env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    const decoder = new StringDecoder('utf8');
    let stdout = '';
    let stderr = '';
    let answerBytes = 0;
    let timedOut = false;
    let overflow = false;
    let aborted = false;
    let killed = false;
    const killGroup = () => {
      killed = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      if (options.timeoutMs === undefined) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (!killed) ((timedOut = true), killGroup());
      }, options.timeoutMs);
    };
    arm();
    const onAbort = () => {
      if (!killed) ((aborted = true), killGroup());
    };
    s.signal.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (d: Buffer) => {
      if (killed) return;
      let chunk = d;
      if (s.perLine) {
        // Bytes since the last newline: the answer being written. Each finished line restarts the timeout.
        const nl = chunk.lastIndexOf(10);
        if (nl >= 0) {
          answerBytes = chunk.length - nl - 1;
          arm();
        } else answerBytes += chunk.length;
      } else answerBytes += chunk.length;
      if (answerBytes > s.maxOutputBytes) {
        overflow = true;
        killGroup();
        chunk = chunk.subarray(0, Math.max(0, chunk.length - (answerBytes - s.maxOutputBytes)));
      }
      stdout += decoder.write(chunk);
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      if (stderr.length > 2 * STDERR_KEEP) stderr = stderr.slice(-STDERR_KEEP);
    });
    // A command that exits without reading its input closes the pipe: not an error of ours.
    child.stdin.on('error', () => {});
    child.stdin.end(input);
    child.on('error', (e) => {
      clearTimeout(timer);
      s.signal.removeEventListener('abort', onAbort);
      reject(new UserError(`external evaluator "${label}" could not start: ${e.message}`));
    });
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      s.signal.removeEventListener('abort', onAbort);
      resolve({ code, signal: sig, stdout: stdout + decoder.end(), stderr: stderr.slice(-STDERR_KEEP), timedOut, overflow, aborted });
    });
  });
}
