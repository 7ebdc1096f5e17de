// Compile every AssemblyScript kernel src/wasm/<name>.ts to dist/src/wasm/<name>.wasm (run by
// `npm run build` after tsc). A kernel whose .wasm is newer than every kernel source and than this script is
// skipped, so a rebuild without kernel changes costs no compiler start-up.
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = join(root, 'src', 'wasm');
const outDir = join(root, 'dist', 'src', 'wasm');
const self = statSync(fileURLToPath(import.meta.url)).mtimeMs;
const mtime = (p) => {
  try {
    return statSync(p).mtimeMs;
  } catch {
    return -1;
  }
};
// a kernel may import another's functions (svc.ts uses dense.ts's exp): any source change rebuilds all
const sources = readdirSync(srcDir).filter((f) => f.endsWith('.ts'));
const newest = Math.max(self, ...sources.map((f) => mtime(join(srcDir, f))));
const todo = sources
  .map((f) => ({ src: join(srcDir, f), out: join(outDir, f.replace(/\.ts$/, '.wasm')) }))
  .filter(({ out }) => mtime(out) < newest);
if (todo.length > 0) {
  mkdirSync(outDir, { recursive: true });
  const { default: asc } = await import('assemblyscript/asc');
  for (const { src, out } of todo) {
    // stub runtime: no garbage collector, kernels only read and write host-laid-out memory; simd is
    // on by default in Node ≥ 16; no relaxed-simd (not enabled in Node 20), so no fused multiply-add
    const args = [src, '--outFile', out, '-O3', '--runtime', 'stub', '--noAssert', '--enable', 'simd', '--initialMemory', '1'];
    const { error, stderr } = await asc.main(args);
    if (error) {
      process.stderr.write(stderr.toString());
      process.stderr.write(`build-wasm: ${src}: ${error.message}\n`);
      process.exit(1);
    }
  }
}
