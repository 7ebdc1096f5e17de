import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import semver from 'semver';
import { repoRoot } from '../helpers.js';

interface Lock {
  packages: Record<string, { engines?: { node?: string } | string[]; version?: string }>;
}

/**
 * `npm ci` warns EBADENGINE for every installed package whose `engines.node` excludes the oldest
 * Node package.json admits; users on that Node would see it. The lock file records each package's
 * engines, so the check needs no network.
 */
describe('package engines', () => {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { engines: { node: string } };
  const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as Lock;

  it('every locked package runs on the oldest Node that package.json promises', () => {
    const oldest = semver.minVersion(pkg.engines.node);
    expect(oldest, pkg.engines.node).to.not.equal(null);
    const bad: string[] = [];
    let checked = 0;
    for (const [path, p] of Object.entries(lock.packages)) {
      const range = p.engines !== undefined && !Array.isArray(p.engines) ? p.engines.node : undefined;
      if (path === '' || range === undefined) continue;
      checked++;
      if (!semver.satisfies(oldest as semver.SemVer, range)) bad.push(`${path}@${p.version ?? '?'} needs node ${range}`);
    }
    expect(checked).to.be.above(50);
    expect(bad).to.deep.equal([]);
  });
});

describe('package.json', () => {
  it('names each dependency once (JSON.parse would silently keep only the last of two)', () => {
    const text = readFileSync(join(repoRoot, 'package.json'), 'utf8');
    for (const section of ['dependencies', 'devDependencies', 'overrides']) {
      const m = new RegExp(`"${section}"\\s*:\\s*\\{([^}]*)\\}`).exec(text);
      if (m === null) continue;
      const keys = [...(m[1] as string).matchAll(/"([^"]+)"\s*:/g)].map((k) => k[1] as string);
      expect(keys.filter((k, i) => keys.indexOf(k) !== i), section).to.deep.equal([]);
      expect(keys.length, section).to.be.greaterThan(0);
    }
  });
});
