import { Command, Errors } from '@oclif/core';
import chalk from 'chalk';
import { AppError, EXIT_CODES, osError } from '../core/errors.js';
import { jsonChunks, writeChunks } from '../core/util/table-stream.js';
import { usageFromParseError, type CommandShape } from './usage-errors.js';
import { setTerminalFit, terminalFitFromStdout } from './render/table.js';

/** The error document of `--json` failures (docs/exit-codes.md). */
export interface ErrorJson {
  error: { code: string; message: string; exitCode: number; hint: string | null; details?: unknown };
}

/**
 * Every mm command extends this: it owns `--json`, the one error → exit-code map, and colour
 * policy. Commands parse, call one core function, render, and return their result object.
 */
export abstract class MmCommand extends Command {
  static override enableJsonFlag = true;

  protected override async init(): Promise<void> {
    await super.init();
    // chalk ignores NO_COLOR on some terminals; the house style says it must be honoured.
    if (process.env['NO_COLOR'] !== undefined && process.env['NO_COLOR'] !== '') chalk.level = 0;
    // Tables fit a terminal (columns left out, head … tail); pipes and files get everything.
    setTerminalFit(terminalFitFromStdout());
  }

  /** Human output goes to stdout only when the caller did not ask for JSON. */
  protected print(text: string): void {
    if (!this.jsonEnabled() && text !== '') process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /**
   * `wrote <path>` on stderr after a command wrote files for --out, the same line in every command
   * (stdout keeps the human output; under --json nothing is added, the document says what it wrote).
   */
  protected wrote(path: string, detail?: string): void {
    if (!this.jsonEnabled()) process.stderr.write(`wrote ${path}${detail === undefined ? '' : `: ${detail}`}\n`);
  }

  /** Notes and warnings: stderr, never under --json (stdout must stay one document). */
  protected note(text: string): void {
    if (!this.jsonEnabled()) process.stderr.write(`${chalk.yellow('note')} ${text}\n`);
  }

  /** Set once run() has streamed its own document (see emitJson); oclif must not print it again. */
  private jsonStreamed = false;

  /**
   * Stream the `--json` document to stdout now, with backpressure, instead of letting oclif
   * stringify it whole after run() returns: documents with JsonRows (big tables) need this.
   */
  protected async emitJson(doc: unknown): Promise<void> {
    this.jsonStreamed = true;
    await writeChunks(process.stdout, jsonChunks(doc));
  }

  protected override logJson(json: unknown): void {
    if (this.jsonStreamed) return;
    for (const c of jsonChunks(json)) process.stdout.write(c);
  }

  protected override toErrorJson(err: unknown): ErrorJson {
    return { error: describeError(err) };
  }

  /**
   * Map any failure to its exit code and print it once: `{"error": …}` on stdout under --json,
   * else one line on stderr plus a hint. Stack traces only with DEBUG set. Never rethrows, so
   * oclif cannot replace the exit code.
   */
  override async catch(err: Error & { exitCode?: number }): Promise<void> {
    const e = describeError(err, this.constructor as unknown as CommandShape);
    process.exitCode = e.exitCode;
    // A completed command whose check failed keeps its result in the document, the error beside it.
    if (this.jsonEnabled()) this.logJson(err instanceof AppError && err.result !== undefined ? { ...err.result, error: e } : { error: e });
    else {
      process.stderr.write(`${chalk.red('error')} ${e.message}\n`);
      if (e.hint) process.stderr.write(`${chalk.dim('hint')}  ${e.hint}\n`);
    }
    if (process.env['DEBUG']) process.stderr.write(`${err.stack ?? String(err)}\n`);
  }
}

/**
 * The code, exit code and hint of any thrown value; with the command that failed, oclif's parse
 * errors become one line with a hint naming the flag or example meant, and every usage error gets a hint.
 */
export function describeError(err: unknown, cmd?: CommandShape): ErrorJson['error'] {
  if (cmd !== undefined) {
    const u = usageFromParseError(err, cmd);
    if (u !== null) return { code: 'USAGE', message: clean(u.message), exitCode: EXIT_CODES.USAGE, hint: u.hint };
  }
  // An operating-system failure that no core function named (ENOSPC, EACCES, EISDIR…) is an
  // ordinary failure with its own exit code, never "a bug in mm".
  const mapped = osError(err);
  if (mapped !== err) return describeError(mapped, cmd);
  if (err instanceof AppError) {
    const fallback = err.code === 'USAGE' && cmd !== undefined ? `see mm ${cmd.id.replaceAll(':', ' ')} --help` : null;
    const out: ErrorJson['error'] = { code: err.code, message: clean(err.message), exitCode: err.exitCode, hint: err.hint ?? fallback };
    if (err.details !== undefined) out.details = err.details;
    return out;
  }
  const e = err as { parse?: unknown; message?: string; oclif?: { exit?: number } } | undefined;
  const message = e?.message ?? String(err);
  // oclif's flag/argument parse errors carry `parse`; a flag's own parser failing (e.g. an integer
  // flag given "abc") arrives as a plain Error whose message oclif prefixes with "Parsing --".
  // Both are usage errors (exit 2).
  if (e?.parse !== undefined || message.startsWith('Parsing --') || (err instanceof Errors.CLIError && /flag|argument|Missing|Unexpected/i.test(message))) {
    return { code: 'USAGE', message: clean(message), exitCode: EXIT_CODES.USAGE, hint: cmd === undefined ? 'see --help for the flags and an example' : `see mm ${cmd.id.replaceAll(':', ' ')} --help` };
  }
  return { code: 'INTERNAL', message: clean(message), exitCode: EXIT_CODES.INTERNAL, hint: 'this is a bug in mm; rerun with DEBUG=1 and report the trace' };
}

/** One line, no colour codes, without oclif's "See more help" tail (the hint says it). */
function clean(s: string): string {
  return s
    // eslint-disable-next-line no-control-regex
    .replace(/\u001b\[[0-9;]*m/g, '')
    .replace(/\s*See more help with --help\s*$/, '')
    .replace(/\s*\n\s*/g, ': ')
    .trim();
}
