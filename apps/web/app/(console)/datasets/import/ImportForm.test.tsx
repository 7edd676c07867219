// @vitest-environment happy-dom
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { installFakeApi } from "@/test/fake-api";
import { ImportForm } from "./ImportForm";

vi.mock("next/link", () => ({
  default: ({ href, children, ...rest }: { href: string; children: React.ReactNode }) => (
    <a href={href} {...rest}>
      {children}
    </a>
  ),
}));

afterEach(() => vi.unstubAllGlobals());

const CSV = "item_id,ttle,price\nA1,Mug,9.48\n";

/** An import API: uploads get ids, the import starts a job that completes with the given counts. */
function importApi(
  outcome: {
    status: "COMPLETED" | "FAILED";
    rowCount: number;
    rejectedCount: number;
    error?: string;
  },
  extra: Parameters<typeof installFakeApi>[0] = {},
) {
  const uploads: string[] = [];
  const api = installFakeApi(
    {
      ...extra,
      importDataset: () => ({
        importDataset: { dataset: { id: "d1" }, version: { id: "v1" }, job: { id: "j1" } },
      }),
      importJob: () => ({
        job: {
          id: "j1",
          status: outcome.status,
          progress: 100,
          message: "Done",
          error: outcome.error ?? null,
        },
        datasetVersion: {
          id: "v1",
          number: 1,
          status: outcome.status === "COMPLETED" ? "READY" : "FAILED",
          rowCount: outcome.rowCount,
          rejectedCount: outcome.rejectedCount,
        },
      }),
    },
    {
      routes: {
        "/api/upload": () => {
          uploads.push(`u${uploads.length + 1}`);
          return new Response(JSON.stringify({ uploadId: uploads.at(-1) }), { status: 200 });
        },
      },
    },
  );
  return { api, uploads };
}

async function fillBasics(name = "shop_catalog") {
  const file = new File([CSV], "catalog.csv", { type: "text/csv" });
  await userEvent.upload(screen.getByLabelText("Files"), file);
  fireEvent.change(screen.getByLabelText("Dataset name"), { target: { value: name } });
  fireEvent.change(screen.getByLabelText("Kind"), { target: { value: "CATALOG" } });
}

function addRole(index: number, column: string, role: string) {
  fireEvent.click(screen.getByRole("button", { name: "Add a column role" }));
  fireEvent.change(screen.getByLabelText(`Column of role row ${index}`), { target: { value: column } });
  fireEvent.change(screen.getByLabelText(`Role of row ${index}`), { target: { value: role } });
}

const submit = () => fireEvent.submit(screen.getByRole("form", { name: "Import" }));

describe("ImportForm", () => {
  it("imports with the roles edited in the form and reports rows loaded and rejected", async () => {
    const { api, uploads } = importApi({ status: "COMPLETED", rowCount: 1234, rejectedCount: 3 });
    render(<ImportForm />);
    await fillBasics();
    addRole(1, "item_id", "itemId");
    addRole(2, "ttle", "title");
    addRole(3, "price", "price");
    // Removing a row takes its role out of the import.
    fireEvent.click(screen.getByRole("button", { name: "Remove role row 3" }));
    submit();
    expect(await screen.findByTestId("import-rows-loaded")).toBeTruthy();
    expect(uploads).toEqual(["u1"]);
    expect(api.of("ImportDataset")[0]?.variables.input).toMatchObject({
      name: "shop_catalog",
      kind: "CATALOG",
      format: "CSV",
      encoding: "UTF8",
      uploadIds: ["u1"],
      roles: [
        { column: "item_id", role: "itemId" },
        { column: "ttle", role: "title" },
      ],
    });
    expect(screen.getByTestId("import-result").textContent).toMatch(/1,234 rows loaded, 3 rejected/);
    expect(screen.getByTestId("import-result").textContent).not.toMatch(/COMPLETED: Done/);
    expect(screen.getByTestId("import-dataset-link").getAttribute("href")).toBe("/datasets/d1");
  });

  it("refuses a role given to two columns before uploading anything", async () => {
    const { api, uploads } = importApi({ status: "COMPLETED", rowCount: 1, rejectedCount: 0 });
    render(<ImportForm />);
    await fillBasics();
    addRole(1, "item_id", "itemId");
    addRole(2, "sku", "itemId");
    submit();
    expect((await screen.findByTestId("import-error")).textContent).toMatch(
      /itemId is given twice \(rows 1 and 2\)/,
    );
    expect(uploads).toHaveLength(0);
    expect(api.calls).toHaveLength(0);
  });

  it("refuses a role row without a column name", async () => {
    const { uploads } = importApi({ status: "COMPLETED", rowCount: 1, rejectedCount: 0 });
    render(<ImportForm />);
    await fillBasics();
    addRole(1, "  ", "brand");
    submit();
    expect((await screen.findByTestId("import-error")).textContent).toMatch(
      /row 1 \(brand\) names no column/,
    );
    expect(uploads).toHaveLength(0);
  });

  it("offers only the schema's roles and a new row takes a role not yet used", () => {
    importApi({ status: "COMPLETED", rowCount: 1, rejectedCount: 0 });
    render(<ImportForm />);
    fireEvent.click(screen.getByRole("button", { name: "Add a column role" }));
    fireEvent.click(screen.getByRole("button", { name: "Add a column role" }));
    const first = screen.getByLabelText("Role of row 1") as HTMLSelectElement;
    const second = screen.getByLabelText("Role of row 2") as HTMLSelectElement;
    expect([...first.options].map((option) => option.value)).toContain("eventType");
    expect([...first.options].map((option) => option.value)).not.toContain("event_type");
    expect(second.value).not.toBe(first.value);
  });

  it("shows a failed import's error instead of counts", async () => {
    importApi({ status: "FAILED", rowCount: 0, rejectedCount: 0, error: "catalog.csv: no header row" });
    render(<ImportForm />);
    await fillBasics();
    submit();
    const result = await screen.findByTestId("import-result");
    await waitFor(() => expect(result.textContent).toMatch(/The import failed: catalog.csv: no header row/));
    expect(screen.queryByTestId("import-dataset-link")).toBeNull();
  });

  it("previews the columns with inferred roles, lets a role be corrected, and imports with them without uploading twice", async () => {
    const { api, uploads } = importApi(
      { status: "COMPLETED", rowCount: 1, rejectedCount: 0 },
      {
        importPreview: () => ({
          importPreview: {
            columns: [
              {
                source: "item_id",
                name: "item_id",
                type: "text",
                role: "itemId",
                roleInferred: true,
                roleInherited: false,
                nullable: false,
              },
              {
                source: "ttle",
                name: "ttle",
                type: "text",
                role: null,
                roleInferred: false,
                roleInherited: false,
                nullable: false,
              },
              {
                source: "price",
                name: "price",
                type: "decimal",
                role: "price",
                roleInferred: true,
                roleInherited: false,
                nullable: false,
              },
            ],
            rows: [["A1", "Mug", "9.48"]],
            sampledRows: 1,
          },
        }),
      },
    );
    render(<ImportForm />);
    await fillBasics();
    fireEvent.click(screen.getByRole("button", { name: "Preview" }));
    const preview = await screen.findByTestId("import-preview");
    expect(preview.textContent).toMatch(/Mug/);
    expect((screen.getByLabelText("Role of item_id") as HTMLSelectElement).value).toBe("itemId");
    expect((screen.getByLabelText("Role of ttle") as HTMLSelectElement).value).toBe("");
    fireEvent.change(screen.getByLabelText("Role of ttle"), { target: { value: "title" } });
    fireEvent.change(screen.getByLabelText("Role of price"), { target: { value: "" } });
    expect(api.of("ImportPreview")[0]?.variables.input).toMatchObject({
      uploadIds: ["u1"],
      name: "shop_catalog",
    });
    submit();
    await screen.findByTestId("import-rows-loaded");
    expect(uploads).toEqual(["u1"]);
    expect(api.of("ImportDataset")[0]?.variables.input).toMatchObject({
      uploadIds: ["u1"],
      roles: [
        { column: "item_id", role: "itemId" },
        { column: "ttle", role: "title" },
      ],
    });
  });
});
