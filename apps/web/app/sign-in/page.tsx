import type { Metadata } from "next";
import { firstParam } from "@/lib/format";
import { SignInForm } from "./SignInForm";

export const metadata: Metadata = { title: "Sign in" };

/** Only same-origin relative paths are accepted as the post-sign-in destination. */
function safeNext(value: string | undefined): string {
  if (!value?.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return "/";
  return value;
}

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const expired = firstParam(params.expired) === "1";
  return (
    <main className="signin">
      <div className="signin-card">
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true">
            D
          </span>
          DAM console
        </div>
        <h1>Sign in</h1>
        <p className="muted">
          Paste an API key. The API checks it and starts a session; the console keeps only the session, never
          the key.
        </p>
        {expired ? (
          <p className="notice" role="status">
            Your session is no longer valid. Please sign in again.
          </p>
        ) : null}
        <SignInForm next={safeNext(firstParam(params.next))} />
      </div>
    </main>
  );
}
