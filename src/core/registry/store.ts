import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { ConflictError, DataError, NotFoundError } from '../errors.js';
import { sha256, writeFileAtomic, writeJsonAtomic } from '../util/fs-atomic.js';
import { decodeModelState, type ModelArtifact } from '../util/model-artifact.js';
import { latestRunId } from './latest.js';
import { registryPaths, RUN_ID_RE, SCHEMA_VERSION, type RegistryPaths } from './layout.js';
import { pidGone } from './lock.js';
import { validateRunRecord, type RunRecord } from './record.js';

function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError(`${what} not found: ${path}`);
    throw e;
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new DataError(`${path} is not valid JSON (${(e as Error).message})`, {
      hint: 'the file was truncated or edited by hand; restore it or remove the run',
    });
  }
}

/**
 * Open (and on first write create) a registry directory.
 * @throws ConflictError when registry.json declares a schema version this mm does not read.
 */
export function openRegistry(root: string, opts: { create: boolean }): RegistryPaths {
  const p = registryPaths(root);
  if (existsSync(p.registry)) {
    const o = readJson(p.registry, 'registry file') as { schemaVersion?: unknown } | null;
    if (o === null || typeof o !== 'object' || o.schemaVersion !== SCHEMA_VERSION) {
      throw new ConflictError(`${p.registry} has schema version ${JSON.stringify(o?.schemaVersion)}, this mm reads ${SCHEMA_VERSION}`, {
        hint: 'use the mm version that wrote this registry, or point --registry elsewhere',
      });
    }
  } else if (opts.create) {
    mkdirSync(root, { recursive: true });
    writeJsonAtomic(p.registry, { schemaVersion: SCHEMA_VERSION });
  }
  return p;
}

/**
 * Write a new run: every file goes into a hidden staging directory which is then renamed into
 * place, so readers see either the whole run or none of it. The run's model file hash is recorded
 * in run.json so later edits are detected. Returns the final id (suffixed `-2`, `-3`… only if an
 * identical id already exists, e.g. the same content trained twice in one second).
 */
export function writeRun(root: string, record: RunRecord, model: string | ModelArtifact, extraFiles: Record<string, string> = {}): RunRecord {
  const modelJson = typeof model === 'string' ? model : model.json;
  const binary = typeof model === 'string' ? null : model.binary;
  const p = openRegistry(root, { create: true });
  cleanStaleStaging(p.root);
  const staging = `${p.root}/.staging-${record.id}-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging);
  try {
    for (let attempt = 1; ; attempt++) {
      const id = attempt === 1 ? record.id : `${record.id}-${attempt}`;
      const final: RunRecord = { ...record, id, model: { ...record.model, sha256: sha256(modelJson) } };
      // The binary node arrays (big models) stream to their own file, chunk by chunk.
      if (binary !== null) writeFileAtomic(`${staging}/${binary.file}`, binary.parts);
      writeFileAtomic(`${staging}/${final.model.file}`, modelJson);
      for (const [name, text] of Object.entries(extraFiles)) writeFileAtomic(`${staging}/${name}`, text);
      writeJsonAtomic(`${staging}/run.json`, final);
      try {
        renameSync(staging, p.run(id));
        return final;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if ((code === 'ENOTEMPTY' || code === 'EEXIST') && attempt < 100) continue;
        throw e;
      }
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Staging directories are `.staging-<run id>-<pid>`. */
const STAGING_RE = /^\.staging-(.+)-(\d+)$/;

/**
 * Staging directories are kept at least this long even when their pid is not running here: the
 * pid is only meaningful on the host that wrote it, and a registry may be shared between hosts.
 */
export const STAGING_STALE_MS = 10 * 60_000;

/**
 * Remove the staging directories of killed runs: those whose process is gone and that are older
 * than `minAgeMs`. Called before every run is written, so leftovers never accumulate.
 * @returns the names removed.
 */
export function cleanStaleStaging(root: string, minAgeMs = STAGING_STALE_MS, now = Date.now()): string[] {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = STAGING_RE.exec(name);
    if (m === null || Number(m[2]) === process.pid || !pidGone(Number(m[2]))) continue;
    const dir = `${root}/${name}`;
    try {
      if (now - statSync(dir).mtimeMs < minAgeMs) continue;
      rmSync(dir, { recursive: true, force: true });
      removed.push(name);
    } catch {
      // removed meanwhile by another cleaner
    }
  }
  return removed;
}

/**
 * Read and validate a run's record.
 * @throws NotFoundError when the run does not exist; DataError when run.json is corrupt.
 */
export function readRun(root: string, id: string): RunRecord {
  const p = registryPaths(root);
  if (!RUN_ID_RE.test(id)) throw new NotFoundError(`no run "${id}" in ${root}`, { hint: 'list runs with `mm runs list`' });
  const rec = validateRunRecord(readJson(p.runFile(id), `run ${id}`), p.runFile(id));
  if (rec.id !== id) throw new DataError(`${p.runFile(id)}: id "${rec.id}" does not match its directory "${id}"`);
  return rec;
}

/**
 * The run's stored model state, after checking it is the file the run wrote. A model header with
 * a binary part (see util/model-artifact) has its typed arrays read from the file beside it,
 * checked against the header's size and sha256.
 * @throws DataError when model.json is missing, not JSON, or its hash differs from run.json, or the
 *   binary part is missing, truncated or modified.
 */
export function readRunModel(root: string, rec: RunRecord): unknown {
  const path = `${registryPaths(root).run(rec.id)}/${rec.model.file}`;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new DataError(`run ${rec.id} has no model file ${path}`, { hint: 'the run directory is damaged; retrain' });
  }
  if (sha256(text) !== rec.model.sha256) {
    throw new DataError(`${path} was modified after the run was written (sha256 differs from run.json)`, {
      hint: 'restore the original file or retrain',
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new DataError(`${path} is not valid JSON (${(e as Error).message})`, { hint: 'restore the original file or retrain' });
  }
  return decodeModelState(parsed, (file) => `${registryPaths(root).run(rec.id)}/${file}`, path);
}

/** Ids of all runs, oldest first (ids start with their UTC creation time). */
export function listRunIds(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && RUN_ID_RE.test(d.name) && existsSync(registryPaths(root).runFile(d.name)))
    .map((d) => d.name)
    .sort();
}

/**
 * The alias map, as a Map: a name read from the user (`constructor`, `__proto__`) can only ever
 * find an alias the file holds, never a property every JavaScript object has.
 * @throws DataError when aliases.json is corrupt.
 */
export function readAliases(root: string): Map<string, string> {
  const p = registryPaths(root);
  const out = new Map<string, string>();
  if (!existsSync(p.aliases)) return out;
  const o = readJson(p.aliases, 'aliases file');
  if (o === null || typeof o !== 'object' || Array.isArray(o)) throw new DataError(`${p.aliases} must hold an object of alias → run id`);
  for (const [k, v] of Object.entries(o)) {
    if (typeof v !== 'string') throw new DataError(`${p.aliases}: alias "${k}" must map to a run id string`);
    out.set(k, v);
  }
  return out;
}

/**
 * Resolve a model reference: a run id, an alias, or `latest` (the most recently created run,
 * see latestRunId).
 * @throws NotFoundError with the known aliases and runs as hint.
 */
export function resolveRef(root: string, ref: string): { id: string; alias: string | null } {
  openRegistry(root, { create: false });
  const ids = listRunIds(root);
  if (ref === 'latest') {
    const last = latestRunId(root, ids);
    if (last === undefined) throw new NotFoundError(`no runs in ${root}`, { hint: 'train one with `mm train <csv>`' });
    return { id: last, alias: null };
  }
  if (RUN_ID_RE.test(ref)) {
    if (!ids.includes(ref)) throw new NotFoundError(`no run "${ref}" in ${root}`, { hint: 'list runs with `mm runs list`' });
    return { id: ref, alias: null };
  }
  const aliases = readAliases(root);
  const target = aliases.get(ref);
  if (target === undefined) {
    const known = [...aliases.keys()];
    throw new NotFoundError(`"${ref}" is neither a run id, an alias nor "latest" in ${root}`, {
      hint: known.length > 0 ? `known aliases: ${known.join(', ')}` : 'no aliases yet; use a run id from `mm runs list` or "latest"',
    });
  }
  if (!ids.includes(target)) throw new NotFoundError(`alias "${ref}" points at run ${target}, which is missing from ${root}`);
  return { id: target, alias: ref };
}
