import levenshtein from 'fast-levenshtein';

/** What a usage message needs to know about the command that failed to parse. */
export interface CommandShape {
  id: string;
  flags?: Record<string, { description?: string | undefined; options?: readonly string[] | undefined; char?: string | undefined }>;
  args?: Record<string, { description?: string | undefined }>;
  examples?: readonly (string | { command: string })[] | undefined;
}

/** The closest of `candidates` to `word`, when it is close enough to be a plausible typo. */
export function closest(word: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = levenshtein.get(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  // Allow about one edit per three letters (trian → train, modle → model), never a wild guess.
  return best !== null && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : null;
}

const bin = 'mm';
const human = (id: string): string => `${bin} ${id.replaceAll(':', ' ')}`;

function examples(cmd: CommandShape): string[] {
  return (cmd.examples ?? []).map((e) => (typeof e === 'string' ? e : e.command).replaceAll('<%= config.bin %>', bin));
}

/** The command's first example that uses `--flag`, else its first example. */
function exampleFor(cmd: CommandShape, flag?: string): string | null {
  const all = examples(cmd);
  const hit = flag === undefined ? undefined : all.find((e) => new RegExp(`--${flag}(\\s|=|$)`).test(e));
  return hit ?? all[0] ?? null;
}

const eg = (cmd: CommandShape, flag?: string): string => {
  const x = exampleFor(cmd, flag);
  return x === null ? `see ${human(cmd.id)} --help` : `e.g. ${x}  (${human(cmd.id)} --help for all flags)`;
};

/**
 * Rewrite one of oclif's parse errors as one line plus a hint that says what to type: the missing
 * argument with an example, the flag that was probably meant, the option closest to the one given.
 * Returns null for anything that is not a parse error.
 */
export function usageFromParseError(err: unknown, cmd: CommandShape): { message: string; hint: string } | null {
  const e = err as { constructor?: { name?: string }; message?: string; args?: unknown; flags?: unknown; parse?: unknown };
  const kind = e?.constructor?.name ?? '';
  const raw = String(e?.message ?? '')
    // eslint-disable-next-line no-control-regex
    .replace(/\u001b\[[0-9;]*m/g, '')
    .replace(/\s*See more help with --help\s*$/, '');
  const flagNames = Object.keys(cmd.flags ?? {});
  switch (kind) {
    case 'RequiredArgsError': {
      const missing = (e.args as { name?: string; description?: string }[] | undefined) ?? [];
      const list = missing.map((a) => `<${a.name ?? 'arg'}>${a.description ? ` (${a.description})` : ''}`).join(', ');
      return { message: `missing ${missing.length === 1 ? 'argument' : 'arguments'} ${list}`, hint: eg(cmd) };
    }
    case 'UnexpectedArgsError': {
      const extra = (e.args as unknown[] | undefined) ?? [];
      return { message: `unexpected argument${extra.length === 1 ? '' : 's'}: ${extra.map(String).join(', ')}`, hint: eg(cmd) };
    }
    case 'NonExistentFlagsError': {
      const given = ((e.flags as string[] | undefined) ?? []).map(String);
      const guesses = given.map((g) => closest(g.replace(/^-+/, '').split('=')[0] ?? g, flagNames));
      const found = guesses.find((g) => g !== null);
      const hint = found ? `did you mean --${found}? (${human(cmd.id)} --help lists every flag)` : `${human(cmd.id)} --help lists every flag`;
      return { message: `unknown flag${given.length === 1 ? '' : 's'} ${given.join(', ')}`, hint };
    }
    case 'FlagInvalidOptionError': {
      const m = /^Expected --([\w-]+)=(.*) to be one of: (.*)$/s.exec(raw.trim());
      if (m === null) break;
      const [, flag, value, opts] = m as unknown as [string, string, string, string];
      const options = opts.split(',').map((s) => s.trim());
      const guess = closest(value, options);
      return {
        message: `--${flag} must be one of ${options.join(', ')}; got "${value}"`,
        hint: guess !== null ? `did you mean --${flag} ${guess}?` : eg(cmd, flag),
      };
    }
    case 'FailedFlagValidationError':
    case 'ViolatedFlagConstraintError': {
      const reasons = raw.split('\n').slice(1).map((s) => s.trim()).filter((s) => s !== '');
      const text = reasons
        .map((r) => r.replace(/^Missing required flag ([\w-]+)$/, 'missing required flag --$1').replace(/^(--[\w-]+)=\S+ cannot also be provided when using (--[\w-]+)$/, '$1 cannot be used together with $2'))
        .join('; ');
      const flag = /--([\w-]+)/.exec(text)?.[1];
      const desc = flag !== undefined ? cmd.flags?.[flag]?.description : undefined;
      return { message: text || raw.trim(), hint: `${desc !== undefined ? `--${flag}: ${desc}; ` : ''}${eg(cmd, flag)}` };
    }
    default:
      break;
  }
  // A flag's own parser failed: oclif says "Parsing --trees \n\t Expected an integer but received: abc".
  const p = /^Parsing --([\w-]+)\s*(.*)$/s.exec(raw.trim());
  if (p !== null) {
    const [, flag, why] = p as unknown as [string, string, string];
    const reason = why.trim().replace(/^Expected an integer but received: (.*)$/, 'expected a whole number, got "$1"');
    return { message: `--${flag}: ${reason.replace(/\s*\n\s*/g, ' ')}`, hint: eg(cmd, flag) };
  }
  return null;
}
