import { COLUMN_ROLES, isColumnRole, type TColumnRole } from "@dam/vocabulary/column-roles";
import type { TColumnType } from "@dam/vocabulary/column-types";
import { AppError } from "../../errors/app-error.ts";

const NUMERIC: TColumnType[] = ["integer", "decimal"];

/**
 * A stored column's role as the API shows it: roles stored before the vocabulary was enforced may be
 * free text, and an unknown one reads as no role rather than failing the whole version.
 */
export const storedColumnRole = (role: unknown): TColumnRole | null =>
  typeof role === "string" && isColumnRole(role) ? role : null;

/**
 * Name patterns per role, strongest first, over names folded to lower-case letters and digits
 * (`Item ID`, `item_id` and `itemId` all become `itemid`). `types` limits the column types a role
 * is inferred for; ids take any type.
 */
const NAME_RULES: { role: TColumnRole; names: string[]; types?: TColumnType[] }[] = [
  { role: "itemId", names: ["itemid", "productid", "sku", "stockcode", "articleid", "movieid", "asin"] },
  { role: "userId", names: ["userid", "customerid", "visitorid", "clientid", "memberid", "shopperid"] },
  { role: "eventId", names: ["eventid"] },
  { role: "sessionId", names: ["sessionid", "session"] },
  { role: "orderId", names: ["orderid", "invoiceno", "invoiceid", "invoice", "transactionid", "orderno"] },
  {
    role: "eventType",
    names: [
      "eventtype",
      "event",
      "action",
      "actiontype",
      "interaction",
      "interactiontype",
      "behaviour",
      "behavior",
    ],
    types: ["text"],
  },
  {
    role: "timestamp",
    names: [
      "timestamp",
      "ts",
      "eventtime",
      "time",
      "datetime",
      "date",
      "createdat",
      "occurredat",
      "invoicedate",
      "orderdate",
    ],
    types: ["timestamp"],
  },
  { role: "title", names: ["title", "productname", "itemname", "producttitle", "name"], types: ["text"] },
  {
    role: "description",
    names: ["description", "longdescription", "desc", "details", "body"],
    types: ["text"],
  },
  {
    role: "category",
    names: ["category", "categoryname", "maincategory", "genre", "genres", "department"],
    types: ["text"],
  },
  { role: "brand", names: ["brand", "brandname", "manufacturer", "vendor"], types: ["text"] },
  { role: "price", names: ["price", "unitprice", "saleprice", "listprice"], types: NUMERIC },
  { role: "quantity", names: ["quantity", "qty", "units"], types: NUMERIC },
  { role: "imageUrl", names: ["imageurl", "image", "imagepath", "img", "picture"], types: ["text"] },
];

/** Values that name behaviour events; a text column made mostly of them is an event type. */
const EVENT_WORDS = new Set([
  "view",
  "views",
  "click",
  "clicks",
  "purchase",
  "purchases",
  "buy",
  "cart",
  "addtocart",
  "removefromcart",
  "favourite",
  "favorite",
  "wishlist",
  "search",
  "impression",
  "transaction",
  "pageview",
  "detail",
  "checkout",
]);

export type TRoleCandidate = { name: string; type: TColumnType; values?: string[] };

const fold = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, "");

const looksLikeEventTypes = (values: string[]) => {
  const present = values.map((value) => value.trim()).filter((value) => value !== "");
  if (present.length === 0) return false;
  const distinct = new Set(present.map(fold));
  if (distinct.size > 30) return false;
  const known = present.filter((value) => EVENT_WORDS.has(fold(value))).length;
  return known / present.length >= 0.8;
};

/**
 * Infers roles from column names, types and sample values. `fixed` are roles already bound (by the
 * importer's map); they win, and each role goes to at most one column. Returns column -> role for the
 * columns it could bind.
 */
export const inferColumnRoles = (
  columns: TRoleCandidate[],
  fixed: Record<string, string> = {},
): Record<string, TColumnRole> => {
  const taken = new Set<string>(Object.values(fixed));
  const bound = new Set<string>(Object.keys(fixed));
  const result: Record<string, TColumnRole> = {};
  const bind = (column: string, role: TColumnRole) => {
    result[column] = role;
    taken.add(role);
    bound.add(column);
  };
  for (const rule of NAME_RULES) {
    if (taken.has(rule.role)) continue;
    for (const pattern of rule.names) {
      const match = columns.find(
        (column) =>
          !bound.has(column.name) &&
          fold(column.name) === pattern &&
          (!rule.types || rule.types.includes(column.type)),
      );
      if (match) {
        bind(match.name, rule.role);
        break;
      }
    }
  }
  if (!taken.has("eventType")) {
    const match = columns.find(
      (column) =>
        !bound.has(column.name) && column.type === "text" && looksLikeEventTypes(column.values ?? []),
    );
    if (match) bind(match.name, "eventType");
  }
  if (!taken.has("timestamp")) {
    const timestamps = columns.filter((column) => !bound.has(column.name) && column.type === "timestamp");
    // Only an unambiguous one: of two timestamps, neither name says which is the event's time.
    if (timestamps.length === 1 && timestamps[0]) bind(timestamps[0].name, "timestamp");
  }
  return result;
};

/**
 * Checks role bindings against the columns they name: every role known, every column present, no
 * role bound twice. `field` prefixes the error's path (`roles`, `--map`).
 */
export const assertColumnRoles = (
  columns: string[],
  bindings: { column: string; role: string | null }[],
  field = "roles",
): void => {
  const seen = new Map<string, string>();
  for (const [index, { column, role }] of bindings.entries()) {
    if (!columns.includes(column)) {
      throw new AppError(
        "BAD_USER_INPUT",
        `${field}[${index}].column: "${column}" is not a column (columns: ${columns.join(", ")})`,
        { field: `${field}[${index}].column`, column },
      );
    }
    if (role === null) continue;
    if (!isColumnRole(role)) {
      throw new AppError(
        "BAD_USER_INPUT",
        `${field}[${index}].role: "${role}" is not a role (one of ${COLUMN_ROLES.join(", ")})`,
        { field: `${field}[${index}].role`, role },
      );
    }
    const other = seen.get(role);
    if (other !== undefined && other !== column) {
      throw new AppError(
        "BAD_USER_INPUT",
        `${field}[${index}].role: "${role}" is already bound to column "${other}"; a role binds one column`,
        { field: `${field}[${index}].role`, role },
      );
    }
    seen.set(role, column);
  }
};
