// @vitest-environment happy-dom
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { FakeGraphQLError, installFakeApi, type TVariables } from "@/test/fake-api";
import { Workbench } from "./Workbench";

vi.mock("next/link", () => ({
  default: ({ href, children }: { href: string; children: React.ReactNode }) => <a href={href}>{children}</a>,
}));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const SCHEMA = {
  id: "s1",
  name: "Relevance",
  type: "RELEVANCE" as const,
  instructions: "How well does the product answer the query?",
  options: [],
};

/**
 * The labelling API of one labeller: tasks leased one at a time (never one the client holds),
 * answers stored in the order they arrive. `failSubmit` refuses chosen assignments.
 */
function labellingApi(taskCount: number, failSubmit: (assignmentId: string) => boolean = () => false) {
  const tasks = Array.from({ length: taskCount }, (_, i) => `t${i + 1}`);
  const answered = new Set<string>();
  const stored: { assignmentId: string; value: unknown }[] = [];
  const assignment = (taskId: string) => ({
    id: `a-${taskId}`,
    slot: 0,
    leaseExpiresAt: new Date(Date.now() + 600_000).toISOString(),
    task: { id: taskId, payload: { query: `query ${taskId}`, title: `product of ${taskId}` } },
    schema: SCHEMA,
  });
  const api = installFakeApi(
    {
      nextLabelTask: ({ holding }: TVariables) => {
        const held = new Set((holding as string[] | undefined) ?? []);
        const next = tasks.find((task) => !answered.has(task) && !held.has(`a-${task}`));
        return { nextLabelTask: next ? assignment(next) : null };
      },
      submitLabel: ({ id, value }: TVariables) => {
        if (failSubmit(String(id))) {
          // An expired lease: the task went to another labeller, so it is never offered here again
          // (else the next queued key could land on it again, depending on timing).
          answered.add(String(id).slice(2));
          throw new FakeGraphQLError("LEASE_EXPIRED", `The lease of ${id} expired`);
        }
        stored.push({ assignmentId: String(id), value });
        answered.add(String(id).slice(2));
        return { submitLabel: { id: `label-${stored.length}` } };
      },
      skipLabelTask: ({ id }: TVariables) => {
        answered.add(String(id).slice(2));
        return { skipLabelTask: true };
      },
      myLabelProgress: () => ({
        myLabelProgress: {
          labeller: { userId: "u1", name: "lab" },
          labels: stored.length,
          skipped: 0,
          activeLeases: 1,
          goldCompared: 0,
          accuracy: null,
        },
        labelProject: {
          id: "p1",
          progress: {
            tasks: taskCount,
            slots: taskCount,
            labels: stored.length,
            completeTasks: 0,
            activeLeases: 1,
            goldTasks: 0,
          },
        },
      }),
      undoLastLabel: () => ({ undoLastLabel: null }),
    },
    { delayMs: 40 },
  );
  return { api, stored };
}

/** Presses keys on the page `gapMs` apart, as a fast labeller would. */
async function type(keys: string[], gapMs: number) {
  for (const key of keys) {
    fireEvent.keyDown(window, { key });
    await sleep(gapMs);
  }
}

afterEach(async () => {
  // Let the workbench's in-flight requests (leasing ahead, progress) finish against this test's API.
  await sleep(300);
  vi.unstubAllGlobals();
});

describe("Workbench answer queue", () => {
  it("stores every answer typed 30 ms apart, in order, with its value", async () => {
    const { stored } = labellingApi(6);
    render(<Workbench projectId="p1" projectName="Shoes" />);
    await screen.findByTestId("task");
    const grades = ["3", "0", "2", "1", "3", "2"];
    await type(
      grades.flatMap((grade) => [grade, "Enter"]),
      30,
    );
    await waitFor(() => expect(stored).toHaveLength(6), { timeout: 5_000 });
    expect(stored.map((answer) => answer.assignmentId)).toEqual([
      "a-t1",
      "a-t2",
      "a-t3",
      "a-t4",
      "a-t5",
      "a-t6",
    ]);
    expect(stored.map((answer) => answer.value)).toEqual(grades.map(Number));
    expect(await screen.findByTestId("queue-empty")).toBeTruthy();
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("keeps a key pressed while the next task loads, says so, and applies it to that task", async () => {
    const { stored } = labellingApi(3);
    render(<Workbench projectId="p1" projectName="Shoes" />);
    await screen.findByTestId("task");
    // Answers typed faster than tasks are leased: the keys wait for the tasks they belong to.
    await type(["1", "Enter", "2", "Enter", "3"], 0);
    expect((await screen.findByTestId("keys-waiting")).textContent).toMatch(/[1-9] keys? kept for it/);
    await waitFor(() => expect(screen.getByTestId("task").dataset.taskId).toBe("t3"), { timeout: 3_000 });
    expect(screen.getByTestId("answer-3").getAttribute("aria-pressed")).toBe("true");
    await waitFor(() => expect(stored.map((answer) => answer.value)).toEqual([1, 2]));
  });

  it("refuses a key visibly when the queue is empty", async () => {
    const { stored } = labellingApi(1);
    render(<Workbench projectId="p1" projectName="Shoes" />);
    await screen.findByTestId("task");
    await type(["2", "Enter", "3", "Enter"], 30);
    await waitFor(() => expect(stored).toHaveLength(1), { timeout: 3_000 });
    await screen.findByTestId("queue-empty", {}, { timeout: 3_000 });
    const alert = await screen.findByRole("alert", {}, { timeout: 3_000 });
    expect(alert.textContent).toMatch(/not recorded: your queue is empty/);
  });

  it("shows a refused answer as an error and still stores the others in order", async () => {
    const { stored } = labellingApi(4, (id) => id === "a-t2");
    render(<Workbench projectId="p1" projectName="Shoes" />);
    await screen.findByTestId("task");
    await type(["1", "Enter", "2", "Enter", "3", "Enter"], 30);
    const alert = await screen.findByRole("alert", {}, { timeout: 5_000 });
    expect(alert.textContent).toMatch(/LEASE_EXPIRED/);
    await waitFor(() => expect(stored.map((answer) => answer.assignmentId)).toEqual(["a-t1", "a-t3"]));
  });

  it("asks for an answer before Enter submits", async () => {
    const { stored } = labellingApi(2);
    render(<Workbench projectId="p1" projectName="Shoes" />);
    await screen.findByTestId("task");
    fireEvent.keyDown(window, { key: "Enter" });
    expect((await screen.findByRole("alert")).textContent).toMatch(/Choose an answer first/);
    await sleep(100);
    expect(stored).toHaveLength(0);
  });

  it("opens the key help with ?", async () => {
    labellingApi(1);
    render(<Workbench projectId="p1" projectName="Shoes" />);
    await screen.findByTestId("task");
    fireEvent.keyDown(window, { key: "?" });
    expect(await screen.findByTestId("key-help")).toBeTruthy();
  });
});
