import type { Hook } from '@oclif/core';
import { UsageError } from '../../core/errors.js';
import { closest } from '../usage-errors.js';

/**
 * `mm trian …`: a usage error (exit 2, JSON under --json) that names the command meant. On an
 * interactive terminal without --json, @oclif/plugin-not-found's own prompt ("Did you mean train?")
 * runs first and, when confirmed, runs that command; its refusal becomes the same usage error.
 */
const hook: Hook.CommandNotFound = async function (opts) {
  const ids = opts.config.commandIDs.filter((id) => !opts.config.findCommand(id)?.hidden);
  // oclif joins the words it could not resolve with ':' (`trian data/x.csv` → `trian:data/x.csv`).
  const words = opts.id.split(':');
  const typed = words[0] ?? opts.id;
  const topic = opts.config.findTopic(typed) ? typed : null;
  const guess = topic !== null ? closest(`${typed}:${words[1] ?? ''}`, ids) : closest(typed, ids.map((id) => id.split(':')[0] ?? id));
  const rest = topic !== null ? words.slice(2) : words.slice(1);
  const json = (opts.argv ?? []).includes('--json') || process.argv.includes('--json');
  if (guess !== null && !json && process.stdin.isTTY === true && process.stderr.isTTY === true) {
    const { default: notFound } = await import('@oclif/plugin-not-found');
    const ctx = { ...this, warn: () => undefined, error: () => { throw new Error('declined'); } };
    try {
      return await notFound.call(ctx as typeof this, opts);
    } catch {
      // declined or timed out: fall through to the usage error
    }
  }
  const shown = topic !== null ? `${typed} ${words[1] ?? ''}`.trim() : typed;
  const full = guess === null ? null : [guess.replaceAll(':', ' '), ...rest, ...(opts.argv ?? [])].join(' ');
  throw new UsageError(`"${shown}" is not an mm command`, {
    hint: full !== null ? `did you mean: mm ${full}` : 'mm help lists the commands',
  });
};

export default hook;
