// Row types mirror the CSV columns one-to-one (snake_case keys, key order = column order),
// so the writer and any downstream reader agree on names without a mapping layer.

export type EventType = "view" | "click" | "favourite" | "cart" | "purchase";

export const EVENT_TYPES: readonly EventType[] = ["view", "click", "favourite", "cart", "purchase"];

export type ProductRow = {
  item_id: string;
  title: string | null;
  description: string | null;
  category: string;
  subcategory: string;
  brand: string;
  colour: string | null;
  material: string | null;
  size: string | null;
  /** Unit price in GBP, 2 decimals. */
  price: number | null;
  currency: "GBP";
  image_url: string;
  /** ISO-8601 UTC, whole seconds. */
  created_at: string;
};

export type UserRow = {
  user_id: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  /** YYYY-MM-DD. */
  signup_date: string;
};

export type EventRow = {
  event_id: string;
  user_id: string | null;
  item_id: string;
  event_type: EventType;
  /** ISO-8601 UTC, whole seconds. */
  timestamp: string;
  session_id: string;
  /** Set on cart and purchase events only. */
  quantity: number | null;
  /** Unit price in GBP at purchase time; set on purchase events only. */
  price: number | null;
};

export type PriceBand = "budget" | "mid" | "premium";
export type ActivityLevel = "low" | "medium" | "high";
export type TimeOfDay = "morning" | "lunchtime" | "evening" | "night";

/** Dirt rates: each planted count is Math.round(rate * base), base = `products` or `events`. */
export type DirtRates = {
  productDuplicates: number;
  missingTitles: number;
  missingDescriptions: number;
  missingPrices: number;
  priceOutliers: number;
  eventDuplicates: number;
  unknownItemEvents: number;
  missingUserEvents: number;
};

export type ResolvedOptions = {
  seed: number;
  /** Unique products; products.csv has products + duplicate rows. */
  products: number;
  users: number;
  /** Unique events; events.csv has events + duplicate rows. */
  events: number;
  days: number;
  segments: number;
  /** Exclusive end of the event window (ISO-8601 UTC). */
  endDate: string;
  dirt: DirtRates;
};

export type DemoShopOptions = Partial<Omit<ResolvedOptions, "dirt">> & { dirt?: Partial<DirtRates> };

export type SegmentTruth = {
  index: number;
  name: string;
  /** Categories in descending preference; the first is the segment's top category. */
  topCategories: string[];
  categoryWeights: Record<string, number>;
  priceBand: PriceBand;
  activity: ActivityLevel;
  timeOfDay: TimeOfDay;
  /** Hour of day (UTC) with peak activity. */
  peakHour: number;
  userCount: number;
};

export type IdSet = { count: number; ids: string[] };

export type PriceOutlier = { itemId: string; price: number; normalPrice: number; factor: number };

export type DirtTruth = {
  products: {
    duplicateRows: IdSet;
    missingTitle: IdSet;
    missingDescription: IdSet;
    missingPrice: IdSet;
    priceOutliers: IdSet & { details: PriceOutlier[] };
  };
  events: {
    duplicateRows: IdSet;
    unknownItem: IdSet & { unknownItemIds: string[] };
    missingUser: IdSet;
  };
};

export type GroundTruth = {
  generator: "@dam/demo-shop";
  version: 1;
  seed: number;
  options: ResolvedOptions;
  window: { start: string; end: string };
  counts: {
    productRows: number;
    uniqueProducts: number;
    users: number;
    eventRows: number;
    uniqueEvents: number;
  };
  categories: { name: string; productCount: number }[];
  segments: SegmentTruth[];
  userSegments: Record<string, number>;
  dirt: DirtTruth;
  /** Over all rows of events.csv, duplicates included. */
  eventTypeCounts: Record<EventType, number>;
  /** Over all rows of events.csv, duplicates included; key = UTC date YYYY-MM-DD. */
  eventsPerDay: Record<string, number>;
  funnel: { purchases: number; purchasesWithPriorCart: number };
  traffic: { weekendMultiplier: number; growthOverWindow: number; promoDay: string; promoMultiplier: number };
  /** Plain-language meaning of every count above, for readers of ground-truth.json. */
  definitions: Record<string, string>;
};

export type DemoShop = {
  products: ProductRow[];
  users: UserRow[];
  events: EventRow[];
  truth: GroundTruth;
};
