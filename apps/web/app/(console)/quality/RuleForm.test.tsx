// @vitest-environment happy-dom
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { FakeGraphQLError, installFakeApi } from "@/test/fake-api";
import { RuleForm } from "./RuleForm";

afterEach(() => vi.unstubAllGlobals());

const DATASETS = [
  { id: "d1", name: "shop_catalog" },
  { id: "d2", name: "shop_events" },
];

const fill = (label: string | RegExp, value: string) =>
  fireEvent.change(screen.getByLabelText(label), { target: { value } });

describe("RuleForm", () => {
  it("creates a not-null rule with its column, severity and schedule", async () => {
    const api = installFakeApi({ createQualityRule: () => ({ createQualityRule: { id: "r1" } }) });
    const onCreated = vi.fn(async () => {});
    render(<RuleForm datasetId="d1" datasets={DATASETS} onCreated={onCreated} />);
    fill("Name", "price present");
    fill("Column", "price");
    fill("Severity", "WARN");
    fill(/Schedule/, "0 3 * * *");
    fireEvent.submit(screen.getByRole("form", { name: "Add quality rule" }));
    await waitFor(() => expect(onCreated).toHaveBeenCalledOnce());
    expect(api.of("CreateQualityRule").map((call) => call.variables)).toEqual([
      {
        datasetId: "d1",
        input: {
          name: "price present",
          type: "not_null",
          params: { column: "price" },
          severity: "WARN",
          schedule: "0 3 * * *",
        },
      },
    ]);
    expect((screen.getByLabelText("Name") as HTMLInputElement).value).toBe("");
  });

  it("sends a range rule's bounds as numbers and a referential rule's dataset by id", async () => {
    const api = installFakeApi({ createQualityRule: () => ({ createQualityRule: { id: "r2" } }) });
    render(<RuleForm datasetId="d2" datasets={DATASETS} onCreated={async () => {}} />);
    fill("Type", "range");
    fill("Name", "sane price");
    fill("Column", "price");
    fill("Min (optional)", "0");
    fill("Max (optional)", "10000");
    fireEvent.submit(screen.getByRole("form", { name: "Add quality rule" }));
    await waitFor(() => expect(api.of("CreateQualityRule")).toHaveLength(1));
    expect(api.of("CreateQualityRule")[0]?.variables.input).toMatchObject({
      type: "range",
      params: { column: "price", min: 0, max: 10000 },
      severity: "ERROR",
      schedule: null,
    });

    fill("Type", "ref_integrity");
    fill("Name", "known items");
    fill("Column", "item_id");
    fill("Referenced dataset", "d1");
    fill("Referenced column", "item_id");
    fireEvent.submit(screen.getByRole("form", { name: "Add quality rule" }));
    await waitFor(() => expect(api.of("CreateQualityRule")).toHaveLength(2));
    expect(api.of("CreateQualityRule")[1]?.variables.input).toMatchObject({
      type: "ref_integrity",
      params: { column: "item_id", refDatasetId: "d1", refColumn: "item_id" },
    });
  });

  it("refuses a bound that is not a number before calling the API", async () => {
    const api = installFakeApi({});
    render(<RuleForm datasetId="d1" datasets={DATASETS} onCreated={async () => {}} />);
    fill("Type", "range");
    fill("Name", "bad bound");
    fill("Column", "price");
    fill("Min (optional)", "cheap");
    fireEvent.submit(screen.getByRole("form", { name: "Add quality rule" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("BAD_USER_INPUT");
    expect(alert.textContent).toMatch(/min/i);
    expect(api.calls).toHaveLength(0);
  });

  it("shows the API's refusal of a rule on a missing column", async () => {
    installFakeApi({
      createQualityRule: () => {
        throw new FakeGraphQLError(
          "BAD_USER_INPUT",
          'Column "titel" is not in the newest version of shop_catalog',
        );
      },
    });
    const onCreated = vi.fn(async () => {});
    render(<RuleForm datasetId="d1" datasets={DATASETS} onCreated={onCreated} />);
    fill("Name", "title present");
    fill("Column", "titel");
    fireEvent.submit(screen.getByRole("form", { name: "Add quality rule" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("The rule was not added");
    expect(alert.textContent).toContain('Column "titel"');
    expect(onCreated).not.toHaveBeenCalled();
    expect((screen.getByLabelText("Name") as HTMLInputElement).value).toBe("title present");
  });

  it("offers the newest version's columns for the column fields", () => {
    installFakeApi({});
    render(
      <RuleForm
        datasetId="d1"
        datasets={DATASETS}
        columns={["item_id", "price"]}
        onCreated={async () => {}}
      />,
    );
    const column = screen.getByLabelText("Column") as HTMLInputElement;
    expect(column.getAttribute("list")).toBe("rule-columns");
    const offered = [...screen.getByTestId("rule-columns").querySelectorAll("option")].map((o) => o.value);
    expect(offered).toEqual(["item_id", "price"]);
    // A field that is not a column (a name) gets no column list.
    expect((screen.getByLabelText("Name") as HTMLInputElement).getAttribute("list")).toBeNull();
  });
});
