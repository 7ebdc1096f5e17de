import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveModelParams } from '../../src/core/models/index.js';
import { UsageError } from '../../src/core/errors.js';
import { cleanup, fixture, tempDir } from '../helpers.js';
import { json, mm } from './run-cli.js';

const TRAIN = fixture('cli', 'NVDA_train.csv');

describe('registry lookups with hostile names', () => {
  let reg: string;
  let runId: string;
  before(async () => {
    reg = tempDir();
    runId = json<{ runId: string }>(await mm(['train', TRAIN, '--trees', '5', '--registry', reg, '--json'])).runId;
  });
  after(() => cleanup(reg));

  it('mm runs show constructor is "not found" (exit 4), not a JavaScript built-in', async () => {
    for (const ref of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const r = await mm(['runs', 'show', ref, '--registry', reg, '--json']);
      expect(r.exitCode, `${ref}: ${r.stdout}`).to.equal(4);
      expect(json<{ error: { message: string } }>(r).error.message).to.not.match(/native code|function/);
    }
  });

  it('mm promote --alias __proto__ / LATEST / V7 is a usage error (exit 2) and changes nothing', async () => {
    for (const alias of ['__proto__', 'LATEST', 'V7', 'x'.repeat(65)]) {
      const r = await mm(['promote', runId, '--alias', alias, '--registry', reg, '--json']);
      expect(r.exitCode, `${alias}: ${r.stdout}`).to.equal(2);
    }
    expect(() => readFileSync(join(reg, 'aliases.json'))).to.throw(/ENOENT/);
  });

  it('an alias named toString can be set, shown and used like any other', async () => {
    // --force: a 5-tree forest on this small file is uncalibrated and the default gate would refuse it; names are the point here.
    expect((await mm(['promote', runId, '--alias', 'toString', '--force', '--registry', reg, '--json'])).exitCode).to.equal(0);
    const r = await mm(['runs', 'show', 'toString', '--registry', reg, '--json']);
    expect(r.exitCode, r.stdout).to.equal(0);
    expect(JSON.stringify(json(r))).to.include(runId);
    writeFileSync(join(reg, 'aliases.json'), '{}\n');
  });

  it('model parameters named after built-ins are unknown parameters (exit 2)', async () => {
    for (const k of ['toString', 'constructor', 'hasOwnProperty', '__proto__']) {
      expect(() => resolveModelParams('rf', JSON.parse(`{"${k}": 1}`) as Record<string, unknown>), k).to.throw(UsageError, /unknown parameter/);
    }
    const r = await mm(['train', TRAIN, '--params', '{"toString":1}', '--registry', reg, '--json']);
    expect(r.exitCode, r.stdout).to.equal(2);
  });

  describe('corrupted run files', () => {
    let dir: string;
    let rf: string;
    let lr: string;
    beforeEach(async () => {
      dir = tempDir();
      rf = json<{ runId: string }>(await mm(['train', TRAIN, '--trees', '5', '--registry', dir, '--json'])).runId;
      lr = json<{ runId: string }>(await mm(['train', TRAIN, '--model', 'logreg', '--registry', dir, '--json'])).runId;
    });
    afterEach(() => cleanup(dir));
    const runJson = (id: string): Record<string, any> => JSON.parse(readFileSync(join(dir, id, 'run.json'), 'utf8')) as Record<string, any>;
    const edit = (id: string, f: (r: Record<string, any>) => void): void => {
      const r = runJson(id);
      f(r);
      writeFileSync(join(dir, id, 'run.json'), JSON.stringify(r));
    };

    it('mm promote refuses a run whose model.json fails its hash check (exit 3) and leaves the alias alone', async () => {
      // --force: the default gate's calibration check is not what this test is about.
      expect((await mm(['promote', lr, '--alias', 'staging', '--force', '--registry', dir])).exitCode).to.equal(0);
      const path = join(dir, rf, 'model.json');
      writeFileSync(path, readFileSync(path, 'utf8').replace(/"nTrees": ?5/, '"nTrees":6'));
      const r = await mm(['promote', rf, '--alias', 'staging', '--force', '--registry', dir, '--json']);
      expect(r.exitCode, r.stdout).to.equal(3);
      expect(json<{ error: { message: string } }>(r).error.message).to.match(/sha256 differs/);
      expect(JSON.parse(readFileSync(join(dir, 'aliases.json'), 'utf8'))).to.deep.equal({ staging: lr });
      expect(readFileSync(join(dir, 'aliases.log.jsonl'), 'utf8').trim().split('\n')).to.have.length(1);
    });

    for (const [what, f] of [
      ['window 1e9', (r: Record<string, any>) => { r['features'].window = 1e9; }],
      ['window −3', (r: Record<string, any>) => { r['features'].window = -3; }],
      ['an unknown feature', (r: Record<string, any>) => { r['features'].features[0] = 'no_such_feature'; }],
      ['a horizon of 0', (r: Record<string, any>) => { r['labels'].horizon = 0; }],
    ] as const) {
      it(`a run.json with ${what} is bad data (exit 3), for runs show and predict alike`, async () => {
        edit(rf, f);
        for (const args of [['runs', 'show', rf], ['predict', fixture('cli', 'NVDA_predict.csv'), '--model', rf]]) {
          const r = await mm([...args, '--registry', dir, '--json']);
          expect(r.exitCode, `${args[0]}: ${r.stdout}`).to.equal(3);
          expect(json<{ error: { message: string } }>(r).error.message).to.include('run.json');
        }
      });
    }

    it("a run.json whose kind disagrees with its model.json is refused (exit 3), even with the hash fixed up", async () => {
      const model = readFileSync(join(dir, lr, 'model.json'));
      writeFileSync(join(dir, rf, 'model.json'), model);
      edit(rf, (r) => { r['model'].sha256 = runJson(lr)['model'].sha256; });
      for (const args of [['predict', fixture('cli', 'NVDA_predict.csv'), '--model', rf], ['promote', rf, '--alias', 'x1', '--force']]) {
        const r = await mm([...args, '--registry', dir, '--json']);
        expect(r.exitCode, r.stdout).to.equal(3);
        expect(json<{ error: { message: string } }>(r).error.message).to.match(/"rf" but model\.json holds "logreg"/);
      }
    });
  });

  it('a 10-million-digit close is reported as a close error (exit 3), in one short line', async () => {
    const dir = tempDir();
    try {
      const [head, first, ...rest] = readFileSync(fixture('cli', 'NVDA_predict.csv'), 'utf8').trim().split('\n');
      const cells = (first as string).split(',');
      cells[4] = `1${'0'.repeat(10_000_000)}`;
      const p = join(dir, 'NVDA.csv');
      writeFileSync(p, [head, cells.join(','), ...rest].join('\n'));
      const r = await mm(['features', p, '--json']);
      expect(r.exitCode).to.equal(3);
      const msg = json<{ error: { message: string } }>(r).error.message;
      expect(msg).to.match(/NVDA\.csv:2 \(column close\): number "1000.*too large/);
      expect(msg.length).to.be.below(200);
    } finally {
      cleanup(dir);
    }
  });
});
