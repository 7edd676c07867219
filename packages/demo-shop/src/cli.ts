// Usage: tsx packages/demo-shop/src/cli.ts <outDir> [--seed N] [--products N] [--users N]
//        [--events N] [--days N] [--segments N]
// Prints one JSON line (file paths and counts) so scripts can parse the result.

import type { DemoShopOptions } from "./types.ts";
import { writeDemoShop } from "./write-files.ts";

const NUMERIC_FLAGS = ["seed", "products", "users", "events", "days", "segments"] as const;
type NumericFlag = (typeof NUMERIC_FLAGS)[number];

function parseArgs(argv: string[]): { outDir: string; options: DemoShopOptions } {
  const options: DemoShopOptions = {};
  let outDir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg.startsWith("--")) {
      const name = arg.slice(2);
      if (!NUMERIC_FLAGS.includes(name as NumericFlag)) throw new Error(`unknown flag ${arg}`);
      const value = Number(argv[++i]);
      if (!Number.isInteger(value)) throw new Error(`${arg} needs an integer value`);
      options[name as NumericFlag] = value;
    } else if (outDir === undefined) outDir = arg;
    else throw new Error(`unexpected argument ${arg}`);
  }
  if (outDir === undefined) throw new Error("missing <outDir>");
  return { outDir, options };
}

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(
      `${(err as Error).message}\nusage: demo-shop <outDir> [--seed N] [--products N] [--users N] [--events N] [--days N] [--segments N]\n`,
    );
    process.exitCode = 2;
    return;
  }
  const { files, truth } = await writeDemoShop(parsed.outDir, parsed.options);
  const dirt = {
    products: Object.fromEntries(Object.entries(truth.dirt.products).map(([k, v]) => [k, v.count])),
    events: Object.fromEntries(Object.entries(truth.dirt.events).map(([k, v]) => [k, v.count])),
  };
  process.stdout.write(`${JSON.stringify({ seed: truth.seed, files, counts: truth.counts, dirt })}\n`);
}

await main();
