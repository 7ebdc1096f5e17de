import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, fixture, tempDir } from '../helpers.js';
import { json, mm } from './run-cli.js';

const TRAIN = fixture('cli', 'NVDA_train.csv');

describe('mm promote and mm models', () => {
  let reg: string;
  beforeEach(() => {
    reg = tempDir();
  });
  afterEach(() => cleanup(reg));

  const train = async (...extra: string[]): Promise<string> =>
    // Leaves of ≥ 40 rows keep the forest calibrated (log-loss below the majority baseline's) on this small file.
    json<{ runId: string }>(await mm(['train', TRAIN, '--trees', '30', '--min-samples-leaf', '40', '--calibrate', 'none', '--registry', reg, '--json', ...extra])).runId;

  it('promotes the first run without a gate, then gates a challenger on the same evaluation', async () => {
    const a = await train('--seed', '1');
    const first = json<{ gate: { evaluation: string }; to: string }>(await mm(['promote', a, '--alias', 'champion', '--registry', reg, '--json']));
    expect(first.gate.evaluation).to.equal('no-champion');
    const b = await train('--seed', '2');
    const r = await mm(['promote', b, '--alias', 'champion', '--registry', reg, '--json']);
    const doc = json<{ gate?: { passed: boolean; evaluation: string; delta: number }; error?: { exitCode: number; details: { gate: { passed: boolean; evaluation: string; delta: number } } } }>(r);
    const gate = doc.gate ?? doc.error?.details.gate;
    expect(gate?.evaluation).to.equal('recorded');
    // Exit code, alias and gate verdict must agree whichever seed happened to score better.
    expect(r.exitCode).to.equal(gate?.passed ? 0 : 6);
    expect(gate?.passed).to.equal((gate?.delta ?? 0) > 0);
    const models = json<{ aliases: { alias: string; runId: string }[] }>(await mm(['models', '--registry', reg, '--json']));
    expect(models.aliases).to.deep.equal([{ ...models.aliases[0], alias: 'champion', runId: gate?.passed ? b : a }]);
  });

  it('a failed gate exits 6 and changes nothing; --force moves the alias and logs it', async () => {
    const a = await train('--seed', '1');
    await mm(['promote', a, '--alias', 'champion', '--registry', reg]);
    const b = await train('--window', '30');
    const fail = await mm(['promote', b, '--alias', 'champion', '--min-delta', '1', '--registry', reg, '--json']);
    expect(fail.exitCode).to.equal(6);
    const err = json<{ error: { code: string; details: { gate: { evaluation: string } } } }>(fail).error;
    expect(err.code).to.equal('CHECK_FAILED');
    // Different warm-up windows give different test rows; a's training rows end before b's test rows
    // start (b's longer warm-up leaves fewer usable bars, so its 30% test share starts later).
    expect(err.details.gate.evaluation).to.equal('rescored-holdout');
    expect(JSON.parse(readFileSync(join(reg, 'aliases.json'), 'utf8'))).to.deep.equal({ champion: a });
    const forced = await mm(['promote', b, '--alias', 'champion', '--min-delta', '1', '--force', '--registry', reg, '--json']);
    expect(forced.exitCode).to.equal(0);
    expect(json<{ forced: boolean }>(forced).forced).to.equal(true);
    const log = readFileSync(join(reg, 'aliases.log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { to: string; forced: boolean });
    expect(log.map((e) => [e.to, e.forced])).to.deep.equal([[a, false], [b, true]]);
  });

  it('rejects reserved alias names with exit 2', async () => {
    const a = await train();
    expect((await mm(['promote', a, '--alias', 'latest', '--registry', reg])).exitCode).to.equal(2);
    expect((await mm(['promote', a, '--alias', 'v2', '--registry', reg])).exitCode).to.equal(2);
  });

  it('runs list filters by kind and metric, and runs diff shows what differs', async () => {
    const a = await train('--seed', '1');
    const b = await train('--seed', '1', '--model', 'et');
    const onlyEt = json<{ runs: { id: string }[] }>(await mm(['runs', 'list', '--kind', 'et', '--registry', reg, '--json']));
    expect(onlyEt.runs.map((r) => r.id)).to.deep.equal([b]);
    const none = json<{ runs: unknown[] }>(await mm(['runs', 'list', '--where', 'macroF1>1', '--registry', reg, '--json']));
    expect(none.runs).to.deep.equal([]);
    const bad = await mm(['runs', 'list', '--where', 'sharpe>1', '--registry', reg]);
    expect(bad.exitCode).to.equal(2);
    const diff = json<{ differences: { key: string }[] }>(await mm(['runs', 'diff', a, b, '--registry', reg, '--json']));
    expect(diff.differences.map((d) => d.key)).to.include('model.kind');
  });
});
