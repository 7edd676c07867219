import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import type { SchemaEngine } from "@prisma/schema-engine-wasm";

// Prisma 7's CLI always spawns the native schema-engine binary, which it downloads from binaries.prisma.sh
// (unreachable here). The same engine ships as WASM on npm; nothing in Prisma loads it for us, so we
// instantiate it by hand. Node 20 cannot `import` a .wasm file, hence the wasm-bindgen glue is fed the
// compiled module explicitly instead of using the package's default entry point.

type WasmExports = Record<string, unknown>;
type WasmBindgenGlue = typeof import("@prisma/schema-engine-wasm/schema_engine_bg") & {
  __wbg_set_wasm: (exports: WasmExports) => void;
};

// The repo's `lib` (ES2023, no DOM) declares no WebAssembly API although Node has it; type the one call.
type WasmApi = {
  instantiate(
    bytes: Uint8Array,
    imports: Record<string, unknown>,
  ): Promise<{ instance: { exports: WasmExports } }>;
};
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let glue: Promise<WasmBindgenGlue> | undefined;

// A Rust panic inside the engine reports its message through this global before aborting (the contract
// Prisma's own CLI fulfils); without it the real message is lost behind "reading 'set_message'".
type PanicRegistry = { message: string | undefined; set_message(message: string): void };
const panicRegistry: PanicRegistry = {
  message: undefined,
  set_message(message: string) {
    this.message = message;
  },
};
(globalThis as { PRISMA_WASM_PANIC_REGISTRY?: PanicRegistry }).PRISMA_WASM_PANIC_REGISTRY = panicRegistry;

// The panic message, if the engine panicked; worth adding to whatever error the call surfaced as.
export function takeEnginePanic(): string | undefined {
  const message = panicRegistry.message;
  panicRegistry.message = undefined;
  return message;
}

async function loadGlue(): Promise<WasmBindgenGlue> {
  const require = createRequire(import.meta.url);
  const gluePath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  const bg = (await import("@prisma/schema-engine-wasm/schema_engine_bg")) as WasmBindgenGlue;
  const bytes = await readFile(join(dirname(gluePath), "schema_engine_bg.wasm"));
  // The wasm module imports its JS glue under the name the bundler would have given it.
  const { instance } = await wasmApi.instantiate(bytes, { "./schema_engine_bg.js": bg });
  bg.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as (() => void) | undefined)?.();
  return bg;
}

export type SchemaFile = { path: string; content: string };

export async function createSchemaEngine(
  schema: SchemaFile,
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
): Promise<SchemaEngine> {
  glue ??= loadGlue();
  const bg = await glue;
  // Without the binding the engine fails with "Cannot read properties of null (reading 'externalPool')".
  return bg.SchemaEngine.new(
    { datamodels: [[schema.path, schema.content]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(adapterFactory),
  );
}

export const noFilters = { externalTables: [], externalEnums: [] };
