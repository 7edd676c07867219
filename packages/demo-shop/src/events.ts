import { allocateBudgets } from "./budgets.ts";
import { eventBuffer, type SessionScratch, sessionScratch, TYPE_CODE, timeOrder } from "./event-buffer.ts";
import { eventIdOf, sessionIdOf, sortedIsoFormatter } from "./format.ts";
import type { ItemSampler } from "./item-sampler.ts";
import { type Rng, randInt, sampleCumulative } from "./prng.ts";
import type { CatalogItem } from "./products.ts";
import type { Traffic } from "./traffic.ts";
import { EVENT_TYPES, type EventRow, type EventType } from "./types.ts";
import type { Shopper } from "./users.ts";

// Funnel probabilities. Per view this yields roughly 0.35 clicks, 0.05 favourites,
// 0.09 carts and 0.05 purchases, i.e. views >> clicks > carts > purchases.
const P_CLICK = 0.35;
const P_FAVOURITE = 0.15;
const P_CART = 0.26;
const P_CHECKOUT = 0.5;
/** "Buy now" without a cart event, so that not every purchase has a prior cart. */
const P_BUY_NOW = 0.03;
/** Share of views inside a session that stay in the session's focus category. */
const P_STAY_FOCUSED = 0.5;
const MEAN_VIEWS_PER_SESSION = 5;
const MAX_VIEWS_PER_SESSION = 30;

export type EventContext = {
  catalog: CatalogItem[];
  shoppers: Shopper[];
  sampler: ItemSampler;
  traffic: Traffic;
  total: number;
  windowStartMs: number;
  windowEndMs: number;
};

function quantity(rng: Rng): number {
  if (rng() < 0.85) return 1;
  return rng() < 0.7 ? 2 : 3;
}

/** One browsing session written into `s`, offsets in seconds from the session start. */
function simulateSession(rng: Rng, sampler: ItemSampler, shopper: Shopper, s: SessionScratch): void {
  s.length = 0;
  let t = 0;
  const push = (type: EventType, item: number, qty = 0) => {
    const i = s.length++;
    s.item[i] = item;
    s.type[i] = TYPE_CODE[type];
    s.offset[i] = t;
    s.qty[i] = qty;
  };
  const views = Math.min(
    MAX_VIEWS_PER_SESSION,
    1 + Math.floor(-Math.log(1 - rng()) * (MEAN_VIEWS_PER_SESSION - 1)),
  );
  const focus = sampleCumulative(rng, shopper.categoryCum);
  const carted: { item: number; qty: number }[] = [];
  for (let v = 0; v < views; v++) {
    const category = rng() < P_STAY_FOCUSED ? focus : sampleCumulative(rng, shopper.categoryCum);
    const item = sampler(rng, shopper.segment.index, category);
    push("view", item);
    t += randInt(rng, 5, 40);
    if (rng() < P_CLICK) {
      push("click", item);
      t += randInt(rng, 10, 90);
      if (rng() < P_FAVOURITE) {
        push("favourite", item);
        t += randInt(rng, 2, 10);
      }
      if (rng() < P_CART) {
        const qty = quantity(rng);
        push("cart", item, qty);
        carted.push({ item, qty });
        t += randInt(rng, 3, 15);
      } else if (rng() < P_BUY_NOW) {
        push("purchase", item, 1);
        t += randInt(rng, 20, 60);
      }
    }
    t += randInt(rng, 5, 60);
  }
  // Checkout at the end of the session, so converted carts always precede their purchase.
  for (const { item, qty } of carted) {
    if (rng() < P_CHECKOUT) {
      push("purchase", item, qty);
      t += randInt(rng, 1, 5);
    }
  }
}

/** Clean, timestamp-sorted events with ids E00000001.. in time order. Exactly ctx.total rows. */
export function generateEvents(rng: Rng, ctx: EventContext): EventRow[] {
  const budgets = allocateBudgets(
    ctx.total,
    ctx.shoppers.map((s) => s.activityWeight),
  );
  const windowSec = (ctx.windowEndMs - ctx.windowStartMs) / 1000;
  const buf = eventBuffer(ctx.total);
  const scratch = sessionScratch();
  let session = 0;
  ctx.shoppers.forEach((shopper, userIndex) => {
    let remaining = budgets[userIndex] ?? 0;
    while (remaining > 0) {
      session++;
      const day = sampleCumulative(rng, ctx.traffic.dayCum);
      const hour = sampleCumulative(rng, shopper.segment.hourCum);
      simulateSession(rng, ctx.sampler, shopper, scratch);
      const n = Math.min(scratch.length, remaining);
      const last = scratch.offset[n - 1] ?? 0;
      let start = day * 86_400 + hour * 3600 + Math.floor(rng() * 3600);
      // Keep sessions that start just before midnight on the last day inside the window.
      if (start + last >= windowSec) start = Math.max(0, windowSec - 1 - last);
      for (let i = 0; i < n; i++) {
        const j = buf.length++;
        buf.t[j] = start + (scratch.offset[i] ?? 0);
        buf.user[j] = userIndex;
        buf.item[j] = scratch.item[i] ?? 0;
        buf.type[j] = scratch.type[i] ?? 0;
        buf.session[j] = session;
        buf.qty[j] = scratch.qty[i] ?? 0;
      }
      remaining -= n;
    }
  });

  const iso = sortedIsoFormatter();
  const rows: EventRow[] = new Array(buf.length);
  timeOrder(buf).forEach((g, i) => {
    const item = ctx.catalog[buf.item[g] ?? 0] as CatalogItem;
    const type = EVENT_TYPES[buf.type[g] ?? 0] as EventType;
    const qty = buf.qty[g] ?? 0;
    rows[i] = {
      event_id: eventIdOf(i + 1),
      user_id: ctx.shoppers[buf.user[g] ?? 0]?.row.user_id ?? null,
      item_id: item.row.item_id,
      event_type: type,
      timestamp: iso(ctx.windowStartMs + (buf.t[g] ?? 0) * 1000),
      session_id: sessionIdOf(buf.session[g] ?? 0),
      quantity: qty > 0 ? qty : null,
      // Purchases carry the real price, even for items whose catalogue price is dirty.
      price: type === "purchase" ? item.truePrice : null,
    };
  });
  return rows;
}
