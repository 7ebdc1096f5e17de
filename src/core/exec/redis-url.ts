import { UsageError } from '../errors.js';

export interface RedisTarget {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls: boolean;
  /** The URL with any password replaced by ***: the only form ever printed, logged or recorded. */
  safe: string;
}

/**
 * Parse `redis://[user][:password@]host[:port][/db]` (or `rediss://` for TLS).
 * @throws UsageError for anything else; the message carries the redacted URL only.
 */
export function parseRedisUrl(url: string): RedisTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UsageError(`--queue must be a redis:// URL, got ${redactUrl(url)}`, { hint: 'e.g. --queue redis://127.0.0.1:6379' });
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new UsageError(`--queue must be a redis:// or rediss:// URL, got ${redactUrl(url)}`, { hint: 'e.g. --queue redis://127.0.0.1:6379' });
  }
  const port = u.port === '' ? 6379 : Number(u.port);
  const dbPath = u.pathname.replace(/^\//, '');
  const db = dbPath === '' ? 0 : Number(dbPath);
  if (!Number.isInteger(db) || db < 0 || db > 15) throw new UsageError(`bad Redis database "${dbPath}" in ${redactUrl(url)}`, { hint: 'a database number 0–15 after the host: redis://host:6379/0' });
  if (u.hostname === '') throw new UsageError(`no host in ${redactUrl(url)}`, { hint: 'e.g. --queue redis://127.0.0.1:6379' });
  const t: RedisTarget = { host: u.hostname.replace(/^\[|\]$/g, ''), port, db, tls: u.protocol === 'rediss:', safe: redactUrl(url) };
  if (u.username !== '') t.username = decodeURIComponent(u.username);
  if (u.password !== '') t.password = decodeURIComponent(u.password);
  return t;
}

/** The URL without its password (user names stay: they are not secrets). Works on unparseable text too. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]*):.*@/is, '$1:***@');
}

/** argv with the value of every `--queue` redacted (for the `command` recorded in runs). */
export function redactArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a.startsWith('--queue=')) out.push(`--queue=${redactUrl(a.slice(8))}`);
    else if (a === '--queue' && i + 1 < argv.length) {
      out.push(a, redactUrl(argv[i + 1] as string));
      i++;
    } else out.push(/^rediss?:\/\//i.test(a) ? redactUrl(a) : a);
  }
  return out;
}
