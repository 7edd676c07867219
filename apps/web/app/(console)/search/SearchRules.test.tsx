// @vitest-environment happy-dom
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { installFakeApi, type TVariables } from "@/test/fake-api";
import { SearchRules } from "./SearchRules";

afterEach(() => vi.unstubAllGlobals());

const rule = (n: number) => ({
  id: `r${n}`,
  query: "shoes",
  match: "EXACT",
  action: "PIN",
  target: "ITEM",
  value: `item_${n}`,
  position: n,
  startsAt: null,
  endsAt: null,
  active: true,
});

/** The rules connection over `stored`, two per page, cursors being the rules' ids. */
const pagesOf =
  (stored: () => ReturnType<typeof rule>[]) =>
  ({ after }: TVariables) => {
    const all = stored();
    const start = after ? all.findIndex((r) => r.id === after) + 1 : 0;
    const page = all.slice(start, start + 2);
    return {
      searchRules: {
        totalCount: all.length,
        edges: page.map((node) => ({ node })),
        pageInfo: { hasNextPage: start + 2 < all.length, endCursor: page[page.length - 1]?.id ?? null },
      },
    };
  };

const shownValues = () =>
  within(screen.getByTestId("search-rules"))
    .queryAllByRole("row")
    .slice(1)
    .map((row) => /item_\d+/.exec(row.textContent ?? "")?.[0]);

describe("SearchRules", () => {
  it("shows the first page of rules and appends the next one on Load more", async () => {
    const api = installFakeApi({ consoleSearchRules: pagesOf(() => [1, 2, 3].map(rule)) });
    render(<SearchRules onChange={vi.fn()} initialQuery="" />);
    await waitFor(() => expect(shownValues()).toEqual(["item_1", "item_2"]));
    expect(screen.getByText("Showing 2 of 3 rules.")).toBeDefined();
    fireEvent.click(screen.getByRole("button", { name: "Load more" }));
    await waitFor(() => expect(shownValues()).toEqual(["item_1", "item_2", "item_3"]));
    expect(screen.queryByRole("button", { name: "Load more" })).toBeNull();
    expect(api.of("ConsoleSearchRules").map((call) => call.variables)).toEqual([
      { after: null },
      { after: "r2" },
    ]);
  });

  it("adds a rule from the form and lists the rules again from the first page", async () => {
    const stored = [rule(1)];
    const onChange = vi.fn();
    const api = installFakeApi({
      consoleSearchRules: pagesOf(() => stored),
      consoleCreateSearchRule: ({ input }) => {
        const created = { ...rule(2), ...(input as object) };
        stored.push(created);
        return { createSearchRule: created };
      },
    });
    render(<SearchRules onChange={onChange} initialQuery="Shoes" />);
    await waitFor(() => expect(shownValues()).toEqual(["item_1"]));
    fireEvent.change(screen.getByLabelText("Rule action"), { target: { value: "BURY" } });
    fireEvent.change(screen.getByLabelText("Item id or category"), { target: { value: "item_2" } });
    fireEvent.submit(screen.getByRole("form", { name: "Add a merchandising rule" }));
    await waitFor(() => expect(onChange).toHaveBeenCalledOnce());
    expect(api.of("ConsoleCreateSearchRule")[0]?.variables).toEqual({
      input: {
        query: "Shoes",
        match: "EXACT",
        action: "BURY",
        target: "ITEM",
        value: "item_2",
        startsAt: null,
        endsAt: null,
      },
    });
    await waitFor(() => expect(shownValues()).toEqual(["item_1", "item_2"]));
    expect(api.of("ConsoleSearchRules").map((call) => call.variables.after)).toEqual([null, null]);
  });
});
