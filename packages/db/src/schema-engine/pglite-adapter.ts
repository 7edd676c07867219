import { PGlite, types } from "@electric-sql/pglite";
import {
  type ColumnType,
  ColumnTypeEnum,
  DriverAdapterError,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type SqlResultSet,
  type Transaction,
} from "@prisma/driver-adapter-utils";

// A minimal Prisma driver adapter over in-process PGlite, used ONLY to feed the WASM schema engine in
// `db:migrate:new`. `pglite-prisma-adapter` is not a dependency, and `@prisma/adapter-pg` cannot describe a
// schema (it rejects catalogue columns of type "char") nor open a real shadow database. Every database
// this adapter sees is a throw-away in-memory PGlite, so there is no pooling and no concurrency to handle.

const ADAPTER_NAME = "@dam/db-pglite-schema-engine";

// OIDs of the types the schema describer reads from pg_catalog / information_schema.
const Oid = {
  BOOL: 16,
  BYTEA: 17,
  CHAR: 18,
  NAME: 19,
  INT8: 20,
  INT2: 21,
  INT4: 23,
  TEXT: 25,
  OID: 26,
  JSON: 114,
  FLOAT4: 700,
  FLOAT8: 701,
  BPCHAR: 1042,
  VARCHAR: 1043,
  DATE: 1082,
  TIME: 1083,
  TIMESTAMP: 1114,
  TIMESTAMPTZ: 1184,
  TIMETZ: 1266,
  NUMERIC: 1700,
  UUID: 2950,
  JSONB: 3802,
  BOOL_ARRAY: 1000,
  CHAR_ARRAY: 1002,
  NAME_ARRAY: 1003,
  INT2_ARRAY: 1005,
  INT4_ARRAY: 1007,
  TEXT_ARRAY: 1009,
  VARCHAR_ARRAY: 1015,
  INT8_ARRAY: 1016,
  OID_ARRAY: 1028,
} as const;

type Converter = { columnType: ColumnType; convert: (text: string) => unknown };

const identity = (text: string): string => text;
const toNumber = (text: string): number => Number(text);
const toBool = (text: string): boolean => text === "t";
// Same wire format adapter-pg hands to the engine: ISO-ish with an explicit UTC offset.
const toTimestamp = (text: string): string => `${text.replace(" ", "T")}+00:00`;
const toTimestamptz = (text: string): string =>
  text.replace(" ", "T").replace(/[+-]\d{2}(:\d{2})?$/, "+00:00");
const toBytes = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text.slice(2), "hex"));

function arrayOf(columnType: ColumnType, element: (text: string) => unknown, typarray: number): Converter {
  return { columnType, convert: (text) => types.arrayParser(text, element, typarray) };
}

const converters: Record<number, Converter> = {
  [Oid.BOOL]: { columnType: ColumnTypeEnum.Boolean, convert: toBool },
  [Oid.BYTEA]: { columnType: ColumnTypeEnum.Bytes, convert: toBytes },
  // `"char"` (pg_constraint.contype, ...) must be typed Character: the describer reads it as a Rust char.
  [Oid.CHAR]: { columnType: ColumnTypeEnum.Character, convert: identity },
  [Oid.NAME]: { columnType: ColumnTypeEnum.Text, convert: identity },
  // The engine accepts 64-bit integers as strings; numbers would lose precision past 2^53.
  [Oid.INT8]: { columnType: ColumnTypeEnum.Int64, convert: identity },
  [Oid.INT2]: { columnType: ColumnTypeEnum.Int32, convert: toNumber },
  [Oid.INT4]: { columnType: ColumnTypeEnum.Int32, convert: toNumber },
  [Oid.OID]: { columnType: ColumnTypeEnum.Int64, convert: toNumber },
  [Oid.TEXT]: { columnType: ColumnTypeEnum.Text, convert: identity },
  [Oid.BPCHAR]: { columnType: ColumnTypeEnum.Text, convert: identity },
  [Oid.VARCHAR]: { columnType: ColumnTypeEnum.Text, convert: identity },
  [Oid.JSON]: { columnType: ColumnTypeEnum.Json, convert: identity },
  [Oid.JSONB]: { columnType: ColumnTypeEnum.Json, convert: identity },
  [Oid.FLOAT4]: { columnType: ColumnTypeEnum.Float, convert: toNumber },
  [Oid.FLOAT8]: { columnType: ColumnTypeEnum.Double, convert: toNumber },
  [Oid.NUMERIC]: { columnType: ColumnTypeEnum.Numeric, convert: identity },
  [Oid.DATE]: { columnType: ColumnTypeEnum.Date, convert: identity },
  [Oid.TIME]: { columnType: ColumnTypeEnum.Time, convert: identity },
  [Oid.TIMETZ]: { columnType: ColumnTypeEnum.Time, convert: (t) => t.replace(/[+-]\d{2}(:\d{2})?$/, "") },
  [Oid.TIMESTAMP]: { columnType: ColumnTypeEnum.DateTime, convert: toTimestamp },
  [Oid.TIMESTAMPTZ]: { columnType: ColumnTypeEnum.DateTime, convert: toTimestamptz },
  [Oid.UUID]: { columnType: ColumnTypeEnum.Uuid, convert: identity },
  [Oid.BOOL_ARRAY]: arrayOf(ColumnTypeEnum.BooleanArray, toBool, Oid.BOOL_ARRAY),
  [Oid.CHAR_ARRAY]: arrayOf(ColumnTypeEnum.TextArray, identity, Oid.CHAR_ARRAY),
  [Oid.NAME_ARRAY]: arrayOf(ColumnTypeEnum.TextArray, identity, Oid.NAME_ARRAY),
  [Oid.TEXT_ARRAY]: arrayOf(ColumnTypeEnum.TextArray, identity, Oid.TEXT_ARRAY),
  [Oid.VARCHAR_ARRAY]: arrayOf(ColumnTypeEnum.TextArray, identity, Oid.VARCHAR_ARRAY),
  [Oid.INT2_ARRAY]: arrayOf(ColumnTypeEnum.Int32Array, toNumber, Oid.INT2_ARRAY),
  [Oid.INT4_ARRAY]: arrayOf(ColumnTypeEnum.Int32Array, toNumber, Oid.INT4_ARRAY),
  [Oid.INT8_ARRAY]: arrayOf(ColumnTypeEnum.Int64Array, identity, Oid.INT8_ARRAY),
  [Oid.OID_ARRAY]: arrayOf(ColumnTypeEnum.Int64Array, toNumber, Oid.OID_ARRAY),
};

// Anything else (int2vector, regclass, enums, ...) goes through as its text form: the describer casts what it
// needs, and failing on an exotic catalogue type would be worse than handing it a string.
const textFallback: Converter = { columnType: ColumnTypeEnum.Text, convert: identity };

type DatabaseErrorLike = {
  code?: string;
  severity?: string;
  message: string;
  detail?: string;
  column?: string;
  hint?: string;
};

function isDatabaseError(error: unknown): error is DatabaseErrorLike {
  return error instanceof Error && typeof (error as DatabaseErrorLike).code === "string";
}

function toDriverError(error: unknown): never {
  if (isDatabaseError(error)) {
    throw new DriverAdapterError({
      kind: "postgres",
      code: error.code ?? "N/A",
      severity: error.severity ?? "ERROR",
      message: error.message,
      detail: error.detail,
      column: error.column,
      hint: error.hint,
      originalCode: error.code,
      originalMessage: error.message,
    });
  }
  throw error;
}

class PGliteQueryable {
  readonly provider = "postgres" as const;
  readonly adapterName = ADAPTER_NAME;

  // Parsers that return every column as raw text, so the conversion to the engine's wire types happens in
  // one place (`converters`) instead of depending on PGlite's own JS parsing (int8 -> number, dates -> Date).
  private readonly rawParsers: Record<number, (text: string) => string>;

  constructor(protected readonly db: PGlite) {
    this.rawParsers = Object.fromEntries(Object.keys(db.parsers).map((oid) => [Number(oid), identity]));
  }

  async queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    const result = await this.run(query);
    const columnConverters = result.fields.map((field) => converters[field.dataTypeID] ?? textFallback);
    const rows = (result.rows as unknown[][]).map((row) =>
      row.map((value, i) =>
        value === null ? null : (columnConverters[i] ?? textFallback).convert(value as string),
      ),
    );
    return {
      columnNames: result.fields.map((field) => field.name),
      columnTypes: columnConverters.map((c) => c.columnType),
      rows,
    };
  }

  async executeRaw(query: SqlQuery): Promise<number> {
    const result = await this.run(query);
    return result.affectedRows ?? 0;
  }

  private async run(query: SqlQuery) {
    try {
      return await this.db.query<unknown[]>(query.sql, query.args.map(toParam), {
        rowMode: "array",
        parsers: this.rawParsers,
      });
    } catch (error) {
      toDriverError(error);
    }
  }
}

// PGlite serialises JS values by the parameter's server-side type; a Date only needs an unambiguous form.
function toParam(arg: unknown): unknown {
  if (arg instanceof Date) return arg.toISOString();
  return arg;
}

class PGliteTransaction extends PGliteQueryable implements Transaction {
  readonly options = { usePhantomQuery: false };

  async commit(): Promise<void> {
    await this.db.exec("COMMIT").catch(toDriverError);
  }

  async rollback(): Promise<void> {
    await this.db.exec("ROLLBACK").catch(toDriverError);
  }
}

class PGliteAdapter extends PGliteQueryable implements SqlDriverAdapter {
  constructor(
    db: PGlite,
    private readonly onDispose: () => Promise<void>,
  ) {
    super(db);
  }

  async executeScript(script: string): Promise<void> {
    // Simple-query protocol: a migration file with many statements runs as one script.
    await this.db.exec(script).catch(toDriverError);
  }

  async startTransaction(): Promise<Transaction> {
    // One PGlite = one backend session, so a transaction is plain BEGIN/COMMIT on it.
    await this.db.exec("BEGIN").catch(toDriverError);
    return new PGliteTransaction(this.db);
  }

  getConnectionInfo() {
    return { supportsRelationJoins: true };
  }

  async dispose(): Promise<void> {
    await this.onDispose();
  }
}

export type ThrowAwayPGliteFactory = SqlMigrationAwareDriverAdapterFactory & {
  // Closes every PGlite the factory opened (main and shadows).
  close(): Promise<void>;
};

// Main database and each shadow database are separate in-memory PGlite instances. Only the first pays for
// initdb (5-15 s); it is dumped right away and the shadows are restored from that dump (~1 s each).
export function createThrowAwayPGliteFactory(): ThrowAwayPGliteFactory {
  const opened: PGlite[] = [];
  let seeded: Promise<{ main: PGlite; template: Blob }> | undefined;

  const seed = () => {
    seeded ??= PGlite.create().then(async (main) => {
      opened.push(main);
      // Dumped before the engine touches it, so the template is a pristine, empty cluster.
      return { main, template: await main.dumpDataDir("none") };
    });
    return seeded;
  };

  const closeDb = async (db: PGlite): Promise<void> => {
    if (!db.closed) await db.close();
  };

  return {
    provider: "postgres",
    adapterName: ADAPTER_NAME,
    async connect() {
      // The main database lives until close(): the engine may connect to it more than once.
      return new PGliteAdapter((await seed()).main, async () => {});
    },
    async connectToShadowDb() {
      const shadow = await PGlite.create({ loadDataDir: (await seed()).template });
      opened.push(shadow);
      return new PGliteAdapter(shadow, () => closeDb(shadow));
    },
    async close() {
      await Promise.all(opened.map(closeDb));
    },
  };
}
