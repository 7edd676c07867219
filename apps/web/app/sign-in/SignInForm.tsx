"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";

interface SessionAnswer {
  viewer?: { name: string; role: string };
  error?: { code: string; message: string };
}

export function SignInForm({ next }: { next: string }) {
  const router = useRouter();
  const [key, setKey] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      const response = await fetch("/api/session", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ key }),
      });
      const answer = (await response.json().catch(() => ({}))) as SessionAnswer;
      if (!response.ok || !answer.viewer) {
        setError(answer.error ?? { code: `HTTP_${response.status}`, message: "Sign-in failed." });
        setPending(false);
        return;
      }
      router.replace(next);
      router.refresh();
    } catch (e) {
      setError({ code: "NETWORK_ERROR", message: e instanceof Error ? e.message : String(e) });
      setPending(false);
    }
  }

  return (
    <form className="form-stack" onSubmit={onSubmit} aria-label="Sign in">
      <label htmlFor="api-key">API key</label>
      <input
        id="api-key"
        name="key"
        type="password"
        autoComplete="off"
        spellCheck={false}
        required
        value={key}
        onChange={(e) => setKey(e.target.value)}
        placeholder="dam_…"
      />
      {error ? (
        <div className="error-box" role="alert" data-testid="sign-in-error">
          <span className="code">{error.code}</span> {error.message}
        </div>
      ) : null}
      <button type="submit" className="button primary" disabled={pending || key.trim() === ""}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
