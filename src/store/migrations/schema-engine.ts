/**
 * Prisma's own schema engine, compiled to WebAssembly (@prisma/schema-engine-wasm, pinned in
 * package.json). It needs no native binary, so migrations work on machines that cannot download
 * Prisma's engines. Its entry file imports the .wasm as an ES module, which Node 20 cannot do,
 * so the bindings are loaded directly and the module instantiated by hand.
 */
import fs from 'node:fs';
import path from 'node:path';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';
import { adapterFactoryFor } from '../client';
import { DatabaseTarget } from '../database-url';

export type { SchemaEngine };

type Bindings = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');
// Node has WebAssembly; TypeScript only types it with the DOM library, which this project leaves out.
type WasmExports = Record<string, unknown>;
declare const WebAssembly: {
  Module: new (bytes: Buffer) => object;
  Instance: new (module: object, imports: Record<string, unknown>) => { exports: WasmExports };
};
// Instantiated once per process: the engine's JS glue is itself a module-wide singleton holding the
// WebAssembly instance (`__wbg_set_wasm`), so a second instance would only replace the first.
// eslint-disable-next-line no-restricted-syntax -- see above: one instance per process by construction
let bindings: Bindings | undefined;

function loadBindings(): Bindings {
  if (bindings) return bindings;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- an ES module file loaded through require(esm), see jest.config.js
  const bg = require('@prisma/schema-engine-wasm/schema_engine_bg') as Bindings & {
    __wbg_set_wasm(exports: WasmExports): void;
  };
  const wasmPath = path.join(path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')), 'schema_engine_bg.wasm');
  const module = new WebAssembly.Module(fs.readFileSync(wasmPath));
  const instance = new WebAssembly.Instance(module, { './schema_engine_bg.js': withUnrefTimers(bg) });
  bg.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as (() => void) | undefined)?.();
  bindings = bg;
  return bg;
}

/**
 * The engine arms 10-second timers (timeouts it races its work against) that outlive the work
 * and would keep Node running after a migration; unref'd, they never hold the process open.
 */
function withUnrefTimers(bg: Record<string, unknown>): Record<string, unknown> {
  const imports = { ...bg };
  for (const name of Object.keys(bg).filter((key) => key.startsWith('__wbg_setTimeout_'))) {
    imports[name] = (callback: () => void, ms: number) => setTimeout(callback, ms >>> 0).unref();
  }
  return imports;
}

export function schemaEngineVersion(): string {
  return loadBindings().version();
}

export interface OpenSchemaEngine {
  engine: SchemaEngine;
  /** Frees the engine and closes every connection it opened (a PostgreSQL pool would keep Node alive). */
  close(): Promise<void>;
}

export async function openSchemaEngine(target: DatabaseTarget, schemaPath: string): Promise<OpenSchemaEngine> {
  const bg = loadBindings();
  const factory = adapterFactoryFor(target);
  const opened: { dispose(): Promise<void> }[] = [];
  // Wrapped in place: the adapters keep their settings in private fields a copy would not have.
  const connect = factory.connect.bind(factory);
  const connectToShadowDb = factory.connectToShadowDb.bind(factory);
  factory.connect = async () => track(await connect());
  factory.connectToShadowDb = async () => track(await connectToShadowDb());
  function track<A extends { dispose(): Promise<void> }>(adapter: A): A {
    opened.push(adapter);
    return adapter;
  }
  const datamodel = fs.readFileSync(schemaPath, 'utf8');
  const engine = await bg.SchemaEngine.new({ datamodels: [[path.basename(schemaPath), datamodel]] }, () => {}, bindMigrationAwareSqlAdapterFactory(factory));
  return {
    engine,
    async close() {
      engine.free();
      await Promise.allSettled(opened.map((adapter) => adapter.dispose()));
    },
  };
}
