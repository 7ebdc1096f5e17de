import chalk from 'chalk';
import { AppError, EXIT_CODES } from '../core/errors.js';
import { describeError, type ErrorJson } from './base-command.js';

/**
 * Print an error that escaped every command (the not-found hook's, the help plugin's) under the
 * contract of `MmCommand.catch`, and set the exit code. oclif's own exits (`--version`, help) pass.
 */
export function reportTopLevelError(err: unknown, argv: readonly string[]): void {
  const e = err as { oclif?: { exit?: number }; code?: string; message?: string } | undefined;
  if (e?.code === 'EEXIT' && (e.oclif?.exit ?? 0) === 0) return;
  let d: ErrorJson['error'];
  const m = /^command (\S+) not found\.?$/i.exec(String(e?.message ?? '').trim());
  if (err instanceof AppError) d = describeError(err);
  else if (m !== null) {
    d = { code: 'USAGE', message: `"${(m[1] ?? '').replaceAll(':', ' ')}" is not an mm command`, exitCode: EXIT_CODES.USAGE, hint: 'mm help lists the commands' };
  } else d = describeError(err);
  process.exitCode = d.exitCode;
  if (argv.includes('--json')) process.stdout.write(`${JSON.stringify({ error: d }, null, 2)}\n`);
  else {
    if (process.env['NO_COLOR'] !== undefined && process.env['NO_COLOR'] !== '') chalk.level = 0;
    process.stderr.write(`${chalk.red('error')} ${d.message}\n`);
    if (d.hint) process.stderr.write(`${chalk.dim('hint')}  ${d.hint}\n`);
  }
  if (process.env['DEBUG']) process.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
}
