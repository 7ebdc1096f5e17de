import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { cleanup, tempDir } from './helpers.js';

/** A free TCP port on 127.0.0.1 (bind to 0, read it, release it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a !== null ? a.port : 0));
    });
  });
}

export interface RedisServer {
  port: number;
  /** redis:// URL with the password. */
  url: string;
  stop(): void;
}

/**
 * A real redis-server on a free port, no persistence, in a temporary directory; killed by stop().
 * @throws when redis-server is not installed (Debian: apt-get install redis-server; .ci/run does it).
 */
export async function startRedis(password: string): Promise<RedisServer> {
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    throw new Error('redis-server is not installed: apt-get install redis-server (.ci/run installs it)');
  }
  const port = await freePort();
  const dir = tempDir('mm-redis-');
  const p: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--requirepass', password], { stdio: 'ignore' });
  const deadline = Date.now() + 5000;
  for (;;) {
    const r = spawnSync('redis-cli', ['-p', String(port), '--no-auth-warning', '-a', password, 'ping'], { encoding: 'utf8' });
    if (r.stdout.trim() === 'PONG') break;
    if (Date.now() > deadline) {
      p.kill('SIGKILL');
      throw new Error(`redis-server did not answer on port ${port}`);
    }
    await new Promise((r2) => setTimeout(r2, 50));
  }
  return {
    port,
    url: `redis://:${password}@127.0.0.1:${port}`,
    stop() {
      p.kill('SIGKILL');
      cleanup(dir);
    },
  };
}
