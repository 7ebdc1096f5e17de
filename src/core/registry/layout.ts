import { join } from 'node:path';

/** The registry's on-disk layout (docs/registry.md). */
export const SCHEMA_VERSION = 1;

export interface RegistryPaths {
  root: string;
  registry: string;
  aliases: string;
  aliasesLog: string;
  aliasesLock: string;
  run(id: string): string;
  runFile(id: string): string;
  modelFile(id: string): string;
}

export function registryPaths(root: string): RegistryPaths {
  return {
    root,
    registry: join(root, 'registry.json'),
    aliases: join(root, 'aliases.json'),
    aliasesLog: join(root, 'aliases.log.jsonl'),
    aliasesLock: join(root, 'aliases.lock'),
    run: (id) => join(root, id),
    runFile: (id) => join(root, id, 'run.json'),
    modelFile: (id) => join(root, id, 'model.json'),
  };
}

/** Run ids are `<UTC yyyymmddThhmmssZ>-<kind>-<6 hex>`; nothing else may name a run directory. */
export const RUN_ID_RE = /^\d{8}T\d{6}Z-[a-z][a-z0-9]*-[0-9a-f]{6}(?:-\d+)?$/;

/** Build a run id from its creation time, model kind and a content hash. */
export function makeRunId(createdAt: Date, kind: string, contentHash: string): string {
  const stamp = createdAt.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${kind}-${contentHash.slice(0, 6)}`;
}
