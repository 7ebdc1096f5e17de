import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect } from 'chai';
import { repoRoot } from '../helpers.js';

/**
 * Every `docs/<page>.md` named in the sources, tests, scripts, benches and READMEs must exist, and
 * nothing may point at documents outside the repository (a user's clone has no ../shared).
 */
const ROOTS = ['src', 'test', 'scripts', 'bench', 'README.md', 'docs'];
const TEXT = /\.(ts|js|md|json)$/;
// A docs page path, not a URL path such as `/docs/static/x.js` served by mm serve.
const DOC_REF = /(?<![\w/.-])docs\/([\w.-]+\.md)/g;
// A page-relative link inside docs/ (`[x](labels.md)`).
const MD_LINK = /\]\(([\w.-]+\.md)(?:#[\w-]*)?\)/g;

function files(p: string): string[] {
  const abs = join(repoRoot, p);
  if (!existsSync(abs)) return [];
  if (statSync(abs).isFile()) return [abs];
  return readdirSync(abs, { withFileTypes: true }).flatMap((d) => (d.name === 'fixtures' || d.name === 'node_modules' ? [] : d.isDirectory() ? files(join(p, d.name)) : TEXT.test(d.name) ? [join(abs, d.name)] : []));
}

describe('docs/ references', () => {
  const all = ROOTS.flatMap(files);

  it('every docs/… page named in src, test, scripts, bench and the READMEs exists', () => {
    const missing: string[] = [];
    let refs = 0;
    for (const f of all) {
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(DOC_REF)) {
        refs++;
        if (!existsSync(join(repoRoot, 'docs', m[1] as string))) missing.push(`${relative(repoRoot, f)}: docs/${m[1] as string}`);
      }
    }
    expect(refs).to.be.above(20);
    expect(missing).to.deep.equal([]);
  });

  it('links between docs pages resolve, and every page is listed in docs/README.md', () => {
    const dir = join(repoRoot, 'docs');
    const pages = readdirSync(dir).filter((n) => n.endsWith('.md'));
    const missing: string[] = [];
    for (const p of pages) {
      for (const m of readFileSync(join(dir, p), 'utf8').matchAll(MD_LINK)) {
        if (!existsSync(join(dir, m[1] as string))) missing.push(`docs/${p}: ${m[1] as string}`);
      }
    }
    expect(missing).to.deep.equal([]);
    const index = readFileSync(join(dir, 'README.md'), 'utf8');
    for (const p of pages) if (p !== 'README.md') expect(index, `docs/README.md lists ${p}`).to.include(`(${p})`);
  });

  it('no source, test or README cites a document outside the repository', () => {
    // The old design note's name, spelt so this file does not match itself.
    const name = ['DES', 'IGN'].join('');
    const cite = new RegExp(`${name} §|shared/${name}\\.md`);
    const outside: string[] = [];
    for (const f of all) {
      if (cite.test(readFileSync(f, 'utf8'))) outside.push(relative(repoRoot, f));
    }
    expect(outside).to.deep.equal([]);
  });
});
