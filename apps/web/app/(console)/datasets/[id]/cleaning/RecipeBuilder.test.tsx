// @vitest-environment happy-dom
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { FakeGraphQLError, installFakeApi } from "@/test/fake-api";
import { RecipeBuilder } from "./RecipeBuilder";

afterEach(() => vi.unstubAllGlobals());

const COLUMNS = [
  { name: "item_id", type: "text", nullable: false, role: "itemId" as const },
  { name: "price", type: "decimal", nullable: true, role: "price" as const },
  { name: "title", type: "text", nullable: true, role: "title" as const },
];

const renderBuilder = (onCreated = vi.fn()) => {
  render(<RecipeBuilder datasetId="d1" versionId="v1" columns={COLUMNS} onCreated={onCreated} />);
  return onCreated;
};

const pick = (label: string, value: string) =>
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
const addStep = () => fireEvent.click(screen.getByRole("button", { name: "Add step" }));

describe("RecipeBuilder", () => {
  it("builds dedupe, impute and outlier steps and saves them as the recipe", async () => {
    const api = installFakeApi({
      createCleaningRecipe: ({ input }) => ({
        createCleaningRecipe: { id: "r1", ...(input as object), createdAt: "2026-12-04T00:00:00Z", runs: [] },
      }),
    });
    const onCreated = renderBuilder();
    fireEvent.click(within(screen.getByTestId("recipe-builder")).getByLabelText("item_id"));
    addStep();
    pick("Step", "impute");
    pick("Column", "price");
    pick("Strategy", "median");
    addStep();
    pick("Step", "drop_outliers");
    pick("Column", "price");
    pick("k", "3");
    addStep();
    expect(screen.getByTestId("draft-steps").querySelectorAll("li")).toHaveLength(3);
    pick("Recipe name", "tidy catalogue");
    fireEvent.click(screen.getByRole("button", { name: "Save recipe" }));
    await waitFor(() => expect(onCreated).toHaveBeenCalledOnce());
    expect(api.of("CreateCleaningRecipe")[0]?.variables).toEqual({
      input: {
        datasetId: "d1",
        name: "tidy catalogue",
        steps: [
          { op: "dedupe", keys: ["item_id"], keep: "first" },
          { op: "impute", column: "price", strategy: "median" },
          { op: "drop_outliers", column: "price", method: "iqr", k: 3 },
        ],
      },
    });
    // Saved: the builder starts over.
    expect(screen.queryByTestId("draft-steps")).toBeNull();
    expect((screen.getByLabelText("Recipe name") as HTMLInputElement).value).toBe("");
  });

  it("cannot save without steps, and a removed step is not sent", async () => {
    const api = installFakeApi({
      createCleaningRecipe: ({ input }) => ({
        createCleaningRecipe: { id: "r2", ...(input as object), createdAt: "2026-12-04T00:00:00Z", runs: [] },
      }),
    });
    renderBuilder();
    pick("Recipe name", "empty");
    const save = screen.getByRole("button", { name: "Save recipe" }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    pick("Step", "cast");
    pick("Column", "price");
    addStep();
    pick("Step", "normalise_text");
    pick("Column", "title");
    addStep();
    fireEvent.click(
      within(screen.getByTestId("draft-steps")).getAllByRole("button", { name: "Remove" })[0] as HTMLElement,
    );
    expect(save.disabled).toBe(false);
    fireEvent.click(save);
    await waitFor(() => expect(api.of("CreateCleaningRecipe")).toHaveLength(1));
    expect(api.of("CreateCleaningRecipe")[0]?.variables.input).toEqual(
      expect.objectContaining({
        steps: [{ op: "normalise_text", column: "title", trim: true, case: "none", collapseSpaces: false }],
      }),
    );
  });

  it("dry-runs the draft steps and shows each step's counts", async () => {
    const api = installFakeApi({
      cleaningDryRun: () => ({
        cleaningDryRun: [
          { step: 0, op: "dedupe", rowsIn: 1000, rowsOut: 990, changed: null },
          { step: 1, op: "impute", rowsIn: 990, rowsOut: 990, changed: 12 },
        ],
      }),
    });
    renderBuilder();
    addStep();
    pick("Step", "impute");
    pick("Column", "price");
    addStep();
    fireEvent.click(screen.getByRole("button", { name: "Dry run" }));
    const table = await screen.findByRole("table", { name: "Dry run" });
    const rows = within(table)
      .getAllByRole("row")
      .map((row) => row.textContent);
    expect(rows[1]).toMatch(/1,000.*990.*10/);
    expect(rows[2]).toMatch(/990.*990.*0.*12/);
    expect(api.of("CleaningDryRun")[0]?.variables).toEqual({
      versionId: "v1",
      steps: [
        { op: "dedupe", keys: [], keep: "first" },
        { op: "impute", column: "price", strategy: "mean" },
      ],
    });
  });

  it("shows the API's refusal of a recipe and keeps the draft", async () => {
    installFakeApi({
      createCleaningRecipe: () => {
        throw new FakeGraphQLError("BAD_USER_INPUT", "steps[0].column: no column pryce in shop_catalog v3");
      },
    });
    const onCreated = renderBuilder();
    pick("Step", "impute");
    pick("Column", "price");
    addStep();
    pick("Recipe name", "bad");
    fireEvent.click(screen.getByRole("button", { name: "Save recipe" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("The recipe was not saved");
    expect(alert.textContent).toContain("steps[0].column");
    expect(onCreated).not.toHaveBeenCalled();
    expect(screen.getByTestId("draft-steps").querySelectorAll("li")).toHaveLength(1);
  });
});
