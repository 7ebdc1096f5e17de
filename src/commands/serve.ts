import { Flags } from '@oclif/core';
import { MmCommand } from '../cli/base-command.js';
import { numberFlag, registryFlag } from '../cli/flags.js';
import { startServer, untilSignal } from '../core/serve/index.js';
import { systemClock } from '../core/util/clock.js';

export default class Serve extends MmCommand {
  static override summary = 'HTTP scoring server for the model an alias points at';
  static override description =
    'GET /health, GET /version, POST /predict (bars of one symbol → the prediction row of the last bar), ' +
    'POST /predict/batch (several symbols, optional WSS) and POST /bars (live, one bar at a time). ' +
    'Picks up a new model when the alias moves (mm promote). Stops cleanly on SIGTERM or Ctrl-C. ' +
    'The OpenAPI 3.1 document of these routes is at GET /openapi.json, interactive docs at /docs ' +
    '(e.g. http://127.0.0.1:8000/docs; assets served locally, no network needed).';
  static override examples = [
    '<%= config.bin %> serve',
    '<%= config.bin %> serve --model champion --port 8000 --min-confidence 0.6',
    '<%= config.bin %> serve --model latest --host 0.0.0.0 --port 8080',
  ];
  static override flags = {
    model: Flags.string({ description: 'alias, run id or "latest" to serve', default: 'champion' }),
    host: Flags.string({ description: 'address to listen on (127.0.0.1 keeps it local)', default: '127.0.0.1' }),
    port: Flags.integer({ description: 'TCP port (0 picks a free one)', default: 8000, min: 0, max: 65535 }),
    'min-confidence': numberFlag({ description: 'act only at or above this top probability, else hold', default: 0.6 }),
    'max-symbols': Flags.integer({ description: 'live mode (POST /bars): symbols kept at most; beyond, the least recently used idle one is evicted', default: 1000, min: 1 }),
    'idle-seconds': numberFlag({ description: 'live mode: a symbol without a bar for this long may be evicted for a new one (else 429 with Retry-After)', default: 60 }),
    ...registryFlag,
  };

  async run(): Promise<Record<string, unknown>> {
    const { flags } = await this.parse(Serve);
    const server = await startServer({
      registry: flags.registry,
      ref: flags.model,
      host: flags.host,
      port: flags.port,
      minConfidence: flags['min-confidence'],
      maxSymbols: flags['max-symbols'],
      idleMs: flags['idle-seconds'] * 1000,
      clock: systemClock,
      mmVersion: this.config.version,
    });
    // Handlers first: a supervisor may send SIGTERM the moment it reads the line below.
    const stop = untilSignal();
    // The URL goes to stderr even under --json: it is how a user or script finds the server.
    process.stderr.write(`mm serve: ${server.runId}${server.alias === null ? '' : ` (${server.alias})`} listening on ${server.url}\n`);
    const signal = await stop;
    await server.app.close();
    process.stderr.write(`mm serve: ${signal}, stopped\n`);
    return { url: server.url, runId: server.runId, alias: server.alias, stoppedBy: signal };
  }
}
