// @vitest-environment happy-dom
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { installFakeApi } from "@/test/fake-api";
import { SignInForm } from "./SignInForm";

const router = { replace: vi.fn(), refresh: vi.fn() };
vi.mock("next/navigation", () => ({ useRouter: () => router }));

const answer = (body: unknown, status: number) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

beforeEach(() => {
  router.replace.mockReset();
  router.refresh.mockReset();
});
afterEach(() => vi.unstubAllGlobals());

describe("SignInForm", () => {
  it("is disabled until a key is typed", () => {
    installFakeApi({});
    render(<SignInForm next="/" />);
    const button = screen.getByRole("button", { name: "Sign in" }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText("API key"), { target: { value: "dam_abc" } });
    expect(button.disabled).toBe(false);
  });

  it("posts the key to the session route and goes on to the page asked for", async () => {
    const posted: unknown[] = [];
    installFakeApi(
      {},
      {
        routes: {
          "/api/session": (body) => {
            posted.push(body);
            return answer({ viewer: { name: "steward", role: "STEWARD" } }, 200);
          },
        },
      },
    );
    render(<SignInForm next="/datasets" />);
    fireEvent.change(screen.getByLabelText("API key"), { target: { value: "dam_secret" } });
    fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
    await waitFor(() => expect(router.replace).toHaveBeenCalledWith("/datasets"));
    expect(posted).toEqual([{ key: "dam_secret" }]);
    expect(screen.queryByTestId("sign-in-error")).toBeNull();
  });

  it("shows the API's refusal and stays on the form", async () => {
    installFakeApi(
      {},
      {
        routes: {
          "/api/session": () =>
            answer({ error: { code: "UNAUTHENTICATED", message: "Unknown API key" } }, 401),
        },
      },
    );
    render(<SignInForm next="/" />);
    fireEvent.change(screen.getByLabelText("API key"), { target: { value: "dam_wrong" } });
    fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
    const error = await screen.findByTestId("sign-in-error");
    expect(error.textContent).toContain("UNAUTHENTICATED");
    expect(error.textContent).toContain("Unknown API key");
    expect(router.replace).not.toHaveBeenCalled();
    expect((screen.getByRole("button", { name: "Sign in" }) as HTMLButtonElement).disabled).toBe(false);
  });

  it("says when the console cannot be reached", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => {
        throw new TypeError("Failed to fetch");
      }),
    );
    render(<SignInForm next="/" />);
    fireEvent.change(screen.getByLabelText("API key"), { target: { value: "dam_x" } });
    fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect((await screen.findByTestId("sign-in-error")).textContent).toMatch(
      /NETWORK_ERROR.*Failed to fetch/,
    );
  });
});
