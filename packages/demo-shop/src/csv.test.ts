import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CSV_EOL, csvChunks, csvField, EVENT_COLUMNS, PRODUCT_COLUMNS, USER_COLUMNS } from "./csv.ts";
import { generateDemoShop } from "./generate.ts";
import { parseCsv } from "./test-helpers.ts";
import type { ProductRow } from "./types.ts";
import { writeDemoShop } from "./write-files.ts";

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

const tricky: ProductRow = {
  item_id: "P999999",
  title: 'Nordvik "Pro" Knife, 20 cm',
  description: 'Line one,\nline two with a "quote" and a\r\nCRLF.',
  category: "Kitchen",
  subcategory: "Chef Knife",
  brand: "Nordvik",
  colour: null,
  material: "Steel",
  size: null,
  price: 12.5,
  currency: "GBP",
  image_url: "/images/P999999.jpg",
  created_at: "2026-01-01T00:00:00Z",
};

describe("csv encoding", () => {
  it("quotes only fields that need it and doubles quotes", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField(null)).toBe("");
    expect(csvField(12.5, "price")).toBe("12.50");
    expect(csvField(3, "quantity")).toBe("3");
  });

  it("round-trips a row with comma, quote and newline through an independent parser", () => {
    const text = [...csvChunks([tricky], PRODUCT_COLUMNS)].join("");
    expect(text.endsWith(CSV_EOL)).toBe(true);
    const [header, row, ...rest] = parseCsv(text);
    expect(rest).toEqual([]);
    expect(header).toEqual([...PRODUCT_COLUMNS]);
    const back = Object.fromEntries(PRODUCT_COLUMNS.map((c, i) => [c, row?.[i]]));
    expect(back.title).toBe(tricky.title);
    expect(back.description).toBe(tricky.description);
    expect(back.colour).toBe("");
    expect(back.price).toBe("12.50");
  });
});

describe("writeDemoShop", () => {
  it("writes files whose parsed rows equal the generated rows", async () => {
    const dir = await mkdtemp(join(tmpdir(), "demo-shop-"));
    dirs.push(dir);
    const options = { seed: 3, products: 600, users: 120, events: 8_000 };
    const { files, truth } = await writeDemoShop(dir, options);
    const shop = generateDemoShop(options);
    expect(truth).toEqual(shop.truth);

    const asText = (v: string | number | null, column: string) =>
      v === null ? "" : typeof v === "number" && column === "price" ? v.toFixed(2) : String(v);
    const check = async <Row extends Record<string, string | number | null>>(
      path: string,
      columns: readonly string[],
      rows: Row[],
    ) => {
      const [header, ...parsed] = parseCsv(await readFile(path, "utf8"));
      expect(header).toEqual([...columns]);
      expect(parsed).toEqual(rows.map((r) => columns.map((c) => asText(r[c] ?? null, c))));
    };
    await check(files.products, PRODUCT_COLUMNS, shop.products);
    await check(files.users, USER_COLUMNS, shop.users);
    await check(files.events, EVENT_COLUMNS, shop.events);
    expect(JSON.parse(await readFile(files.truth, "utf8"))).toEqual(shop.truth);
  });
});
