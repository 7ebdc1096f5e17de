import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeError } from '../../src/cli/base-command.js';
import { osError } from '../../src/core/errors.js';
import { cleanup, fixture, tempDir } from '../helpers.js';
import { mm, type CliRun } from './run-cli.js';

const BARS = fixture('cli', 'NVDA_train.csv');

/** The error line mm printed on stderr, without its `error ` prefix. */
const message = (r: CliRun): string => (r.stderr.split('\n').find((l) => l.startsWith('error ')) ?? '').slice('error '.length);

/** Mount a small tmpfs (root only); false when this machine does not allow it. */
function mountTmpfs(dir: string, opts: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', opts, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('ordinary OS failures are clear errors with the path, never "a bug in mm"', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => cleanup(tmp));

  it('--out naming an existing directory exits 2 (EISDIR) naming it, and leaves no temp file', async () => {
    const out = join(tmp, 'existing');
    mkdirSync(out);
    const r = await mm(['features', BARS, '--out', out]);
    expect(r.exitCode, r.stderr).to.equal(2);
    expect(message(r)).to.equal(`cannot write ${out}: it is a directory (EISDIR)`);
    expect(readdirSync(tmp)).to.deep.equal(['existing']);
    expect(readdirSync(out)).to.deep.equal([]);
  });

  it('a trailing slash on a file path exits 2 (ENOTDIR) naming it', async () => {
    const out = `${join(tmp, 'f.csv')}/`;
    const r = await mm(['features', BARS, '--out', out]);
    expect(r.exitCode, r.stderr).to.equal(2);
    expect(message(r)).to.match(/^cannot write .*f\.csv\/: .*\(ENOTDIR\)$/);
    expect(readdirSync(tmp)).to.deep.equal([]);
  });

  it('a file name too long for the file system exits 2 (ENAMETOOLONG)', async () => {
    const r = await mm(['features', BARS, '--out', join(tmp, `${'x'.repeat(300)}.csv`)]);
    expect(r.exitCode, r.stderr).to.equal(2);
    expect(message(r)).to.match(/ENAMETOOLONG/);
    expect(readdirSync(tmp)).to.deep.equal([]);
  });

  it('a file standing where the output folder must be exits 2', async () => {
    writeFileSync(join(tmp, 'blocker'), 'x');
    const r = await mm(['features', BARS, '--out', join(tmp, 'blocker', 'f.csv')]);
    expect(r.exitCode, r.stderr).to.equal(2);
    expect(message(r)).to.match(/cannot create the folder .*blocker/);
  });

  it('a real ENOSPC (from /dev/full) that no core function named still maps to exit 7 with its path', () => {
    let err: unknown;
    try {
      writeFileSync('/dev/full', 'x');
    } catch (e) {
      err = e;
    }
    expect((err as NodeJS.ErrnoException).code).to.equal('ENOSPC');
    const d = describeError(err);
    expect(d.exitCode).to.equal(7);
    expect(d.code).to.equal('SYSTEM');
    expect(d.message).to.match(/no space left on the device \(ENOSPC\)/);
    // an errno the table does not know stays an internal error
    const odd = Object.assign(new Error('weird'), { code: 'EWEIRD' });
    expect(osError(odd)).to.equal(odd);
  });

  describe('on a real small tmpfs (needs root to mount)', () => {
    let mnt: string;
    let mounted = false;
    beforeEach(function () {
      mnt = join(tmp, 'mnt');
      mkdirSync(mnt);
    });
    afterEach(() => {
      if (mounted) execFileSync('umount', [mnt]);
      mounted = false;
    });

    it('disk full (ENOSPC) exits 7 naming the file; the old file is untouched and no temp file is left', async function () {
      mounted = mountTmpfs(mnt, 'size=16k');
      if (!mounted) this.skip();
      const target = join(mnt, 'features.csv');
      writeFileSync(target, 'old\n');
      // The features of the training fixture (~400 rows × 12 columns) are far more than 16 KiB.
      const r = await mm(['features', fixture('cli', 'NVDA_train.csv'), '--all', '--out', target]);
      expect(r.exitCode, r.stderr).to.equal(7);
      expect(message(r)).to.equal(`cannot write ${target}: no space left on the device (ENOSPC)`);
      expect(readdirSync(mnt)).to.deep.equal(['features.csv']);
      expect(readFileSync(target, 'utf8')).to.equal('old\n');
    });

    it('a read-only file system (EROFS) exits 7 naming the file', async function () {
      mounted = mountTmpfs(mnt, 'size=64k,ro');
      if (!mounted) this.skip();
      const r = await mm(['features', BARS, '--out', join(mnt, 'f.csv')]);
      expect(r.exitCode, r.stderr).to.equal(7);
      expect(message(r)).to.match(/^cannot write .*f\.csv: read-only file system \(EROFS\)$/);
    });
  });
});
