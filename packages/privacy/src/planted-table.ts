import { pick, type Rng, randInt, rngFor } from "@dam/demo-shop/prng";
import type { TPiiFinding, TPiiType } from "./pii-types.ts";

// A generated table with planted personal data and look-alikes (issue 14's precision/recall check): each
// column says which kinds it really holds. Names are drawn partly from outside the classifier's
// dictionary, and several PII columns have names that say nothing, so values alone must find them.

export type TPlantedColumn = { name: string; type: string; expected: TPiiType[]; values: string[] };

const GIVEN = [
  "Maria",
  "James",
  "Aiko",
  "Zbigniew",
  "Oluwaseun",
  "Emma",
  "Lucas",
  "Priya",
  "Sven",
  "Chen",
  "Fatima",
  "Noah",
  "Siobhan",
  "Mateus",
  "Olivia",
];
const FAMILY = [
  "Garcia",
  "Smith",
  "Nakamura",
  "Brzezinski",
  "Adeyemi",
  "Muller",
  "Patel",
  "Nilsson",
  "Okafor",
  "Rossi",
  "Wang",
  "Taylor",
  "Fernandez",
  "Kowalski",
  "Dubois",
];
const STREETS = [
  "Baker Street",
  "High St",
  "Station Road",
  "Maple Avenue",
  "Church Lane",
  "Elm Drive",
  "Park Way",
  "Mill Close",
];
const CITIES = ["London", "Leeds", "Bristol", "Springfield", "Dublin", "Manchester"];
const COLOURS = ["Red", "Black", "White", "Green", "Navy", "Grey", "Brown", "Ivory", "Rose", "Olive"];
const PRODUCTS = [
  "Wool Scarf",
  "Cotton Shirt",
  "Ceramic Mug",
  "Leather Wallet",
  "Garden Hose",
  "Desk Lamp",
  "Tea Towel",
  "Dog Bed",
];
const BRANDS = ["Acme", "Northwind", "Lumen", "Fjord", "Kestrel", "Orbit", "Tandem"];
const DOMAINS = ["example.com", "mail.example.org", "shop.example.net", "example.co.uk"];

const digits = (rng: Rng, n: number): string =>
  Array.from({ length: n }, () => String(randInt(rng, 0, 9))).join("");
const pad = (n: number, width: number): string => String(n).padStart(width, "0");

/** Appends the Luhn check digit (ISO/IEC 7812-1 annex B). */
const withLuhn = (body: string): string => {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return body + String((10 - (sum % 10)) % 10);
};

/** ISO 13616 check digits: 98 minus the mod-97 of BBAN + country + "00" with letters as 10..35. */
const withIbanCheck = (country: string, bban: string): string => {
  let rem = 0;
  for (const ch of `${bban}${country}00`) {
    const chunk = /[A-Z]/.test(ch) ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of chunk) rem = (rem * 10 + Number(d)) % 97;
  }
  return `${country}${pad(98 - rem, 2)}${bban}`;
};

/** EAN-13 check digit (GS1 General Specifications 7.9.1): weights 1 and 3 from the left. */
const withEanCheck = (body: string): string => {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += Number(body[i]) * (i % 2 === 0 ? 1 : 3);
  return body + String((10 - (sum % 10)) % 10);
};

const person = (rng: Rng): [string, string] => [pick(rng, GIVEN), pick(rng, FAMILY)];
const email = (rng: Rng): string => {
  const [g, f] = person(rng);
  return `${g.toLowerCase()}.${f.toLowerCase()}${randInt(rng, 1, 99)}@${pick(rng, DOMAINS)}`;
};
const phone = (rng: Rng): string =>
  pick(rng, [
    () => `+44 20 ${digits(rng, 4)} ${digits(rng, 4)}`,
    () => `0${randInt(rng, 1, 9)}${digits(rng, 3)} ${digits(rng, 6)}`,
    () => `(${randInt(rng, 201, 989)}) ${digits(rng, 3)}-${digits(rng, 4)}`,
    () => `+1 ${randInt(rng, 201, 989)} ${digits(rng, 3)} ${digits(rng, 4)}`,
    () => `+49${digits(rng, 10)}`,
  ])();
const card = (rng: Rng): string => {
  const prefix = pick(rng, ["4", "51", "55", "2221", "6011"]);
  return withLuhn(prefix + digits(rng, 15 - prefix.length));
};
const iban = (rng: Rng): string =>
  pick(rng, [
    () => withIbanCheck("GB", `NWBK${digits(rng, 14)}`),
    () => withIbanCheck("DE", digits(rng, 18)),
    () => withIbanCheck("FR", digits(rng, 23)),
  ])();
const address = (rng: Rng): string => `${randInt(rng, 1, 240)} ${pick(rng, STREETS)}, ${pick(rng, CITIES)}`;
const ukPostcode = (rng: Rng): string =>
  `${pick(rng, ["SW", "M", "LS", "BS", "EC", "N"])}${randInt(rng, 1, 20)} ${randInt(rng, 1, 9)}${pick(rng, ["AA", "BD", "XY", "QT"])}`;
const ip = (rng: Rng): string =>
  rng() < 0.85
    ? `${randInt(rng, 1, 223)}.${randInt(rng, 0, 255)}.${randInt(rng, 0, 255)}.${randInt(rng, 1, 254)}`
    : `2001:db8:${randInt(rng, 0, 65535).toString(16)}::${randInt(rng, 1, 65535).toString(16)}`;
const isoDate = (rng: Rng, fromYear: number, toYear: number): string =>
  `${randInt(rng, fromYear, toYear)}-${pad(randInt(rng, 1, 12), 2)}-${pad(randInt(rng, 1, 28), 2)}`;
const title = (rng: Rng): string => `${pick(rng, COLOURS)} ${pick(rng, PRODUCTS)}`;
const review = (rng: Rng): string => {
  const base = pick(rng, [
    "Arrived quickly and fits well.",
    "Colour is darker than the photo.",
    "Great value, would buy again.",
    "The strap broke after a week.",
  ]);
  const roll = rng();
  if (roll < 0.15) return `${base} Contact me at ${email(rng)} about the refund.`;
  if (roll < 0.25) return `${base} Call ${phone(rng)} before delivery please.`;
  return base;
};
const description = (rng: Rng): string =>
  `${title(rng)} by ${pick(rng, BRANDS)}. Pack of ${randInt(rng, 1, 12)}, ${randInt(rng, 10, 90)} x ${randInt(rng, 10, 90)} cm, model ${randInt(rng, 2015, 2025)}.`;

type TGen = { name: string; type: string; expected: TPiiType[]; make: (rng: Rng) => string };

const COLUMNS: TGen[] = [
  { name: "email", type: "text", expected: ["EMAIL"], make: email },
  { name: "contact", type: "text", expected: ["EMAIL"], make: email },
  { name: "phone_number", type: "text", expected: ["PHONE"], make: phone },
  {
    name: "c7",
    type: "text",
    expected: ["PHONE"],
    make: (rng) => `+44 7${digits(rng, 3)} ${digits(rng, 6)}`,
  },
  { name: "first_name", type: "text", expected: ["PERSON_NAME"], make: (rng) => person(rng)[0] },
  { name: "customerFullName", type: "text", expected: ["PERSON_NAME"], make: (rng) => person(rng).join(" ") },
  { name: "recipient", type: "text", expected: ["PERSON_NAME"], make: (rng) => person(rng).join(" ") },
  { name: "shipping_address", type: "text", expected: ["POSTAL_ADDRESS"], make: address },
  { name: "line1", type: "text", expected: ["POSTAL_ADDRESS"], make: address },
  { name: "postcode", type: "text", expected: ["POSTCODE"], make: ukPostcode },
  { name: "zip", type: "integer", expected: ["POSTCODE"], make: (rng) => pad(randInt(rng, 1001, 99950), 5) },
  { name: "ip", type: "text", expected: ["IP_ADDRESS"], make: ip },
  { name: "client", type: "text", expected: ["IP_ADDRESS"], make: ip },
  { name: "card_number", type: "text", expected: ["PAYMENT_CARD"], make: card },
  {
    name: "payment_ref",
    type: "text",
    expected: ["PAYMENT_CARD"],
    make: (rng) => card(rng).replace(/(\d{4})(?=\d)/g, "$1 "),
  },
  { name: "iban", type: "text", expected: ["IBAN"], make: iban },
  { name: "payout_account", type: "text", expected: ["IBAN"], make: iban },
  {
    name: "date_of_birth",
    type: "date",
    expected: ["DATE_OF_BIRTH"],
    make: (rng) => isoDate(rng, 1940, 2006),
  },
  { name: "d1", type: "date", expected: ["DATE_OF_BIRTH"], make: (rng) => isoDate(rng, 1940, 2006) },
  { name: "review_text", type: "text", expected: ["FREE_TEXT"], make: review },
  // Look-alikes: none of these is personal data.
  {
    name: "sku",
    type: "text",
    expected: [],
    make: (rng) => `SKU-${digits(rng, 5)}-${pick(rng, ["BL", "RD", "XL"])}`,
  },
  {
    name: "order_number",
    type: "text",
    expected: [],
    make: (rng) => `${randInt(rng, 1, 9)}${digits(rng, 15)}`,
  },
  {
    name: "order_no",
    type: "text",
    expected: [],
    make: (rng) => `ORD-${randInt(rng, 2020, 2025)}-${digits(rng, 6)}`,
  },
  {
    name: "product_code",
    type: "text",
    expected: [],
    make: (rng) => `${randInt(rng, 10000, 99999)}${pick(rng, ["", "A", "B", "L"])}`,
  },
  { name: "price", type: "decimal", expected: [], make: (rng) => (randInt(rng, 99, 99999) / 100).toFixed(2) },
  { name: "quantity", type: "integer", expected: [], make: (rng) => String(randInt(rng, -3, 48)) },
  {
    name: "ean",
    type: "text",
    expected: [],
    make: (rng) => withEanCheck(`${randInt(rng, 40, 49)}${digits(rng, 10)}`),
  },
  {
    name: "created_at",
    type: "timestamp",
    expected: [],
    make: (rng) => `${isoDate(rng, 2023, 2025)}T10:${pad(randInt(rng, 0, 59), 2)}:00Z`,
  },
  { name: "release_date", type: "date", expected: [], make: (rng) => isoDate(rng, 2012, 2025) },
  { name: "name", type: "text", expected: [], make: title },
  { name: "title", type: "text", expected: [], make: (rng) => `${pick(rng, BRANDS)} ${title(rng)}` },
  { name: "description", type: "text", expected: [], make: description },
  { name: "colour", type: "text", expected: [], make: (rng) => pick(rng, COLOURS) },
  { name: "brand", type: "text", expected: [], make: (rng) => pick(rng, BRANDS) },
  {
    name: "version",
    type: "text",
    expected: [],
    make: (rng) => `${randInt(rng, 1, 4)}.${randInt(rng, 0, 20)}.${randInt(rng, 0, 9)}`,
  },
  {
    name: "tracking_number",
    type: "text",
    expected: [],
    make: (rng) => `1Z${digits(rng, 3)}AA${digits(rng, 10)}`,
  },
  { name: "weight_g", type: "integer", expected: [], make: (rng) => String(randInt(rng, 10000, 99999)) },
  { name: "model_code", type: "text", expected: [], make: (rng) => `SM-G${digits(rng, 3)}B` },
  {
    name: "category_path",
    type: "text",
    expected: [],
    make: (rng) => `Home > ${pick(rng, ["Kitchen", "Garden", "Pets"])} > ${pick(rng, PRODUCTS)}`,
  },
  { name: "store_id", type: "integer", expected: [], make: (rng) => String(randInt(rng, 1, 400)) },
];

/** The planted table: `rows` values per column, reproducible from the seed. */
export const generatePlantedTable = (rows: number, seed = 14): TPlantedColumn[] =>
  COLUMNS.map((c) => {
    const rng = rngFor(seed, c.name);
    return {
      name: c.name,
      type: c.type,
      expected: c.expected,
      values: Array.from({ length: rows }, () => c.make(rng)),
    };
  });

export type TClassificationScore = {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  errors: string[];
};

/** Precision and recall over (column, kind) pairs: a tag is right when the column really holds that kind. */
export const scoreClassification = (
  columns: readonly TPlantedColumn[],
  findings: ReadonlyMap<string, readonly TPiiFinding[]>,
): TClassificationScore => {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const errors: string[] = [];
  for (const column of columns) {
    const found = new Set((findings.get(column.name) ?? []).map((f) => f.type));
    for (const type of found) {
      if (column.expected.includes(type)) tp++;
      else {
        fp++;
        errors.push(`false positive: ${column.name} tagged ${type}`);
      }
    }
    for (const type of column.expected) {
      if (!found.has(type)) {
        fn++;
        errors.push(`missed: ${column.name} holds ${type}`);
      }
    }
  }
  return {
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    recall: tp + fn === 0 ? 1 : tp / (tp + fn),
    errors,
  };
};
