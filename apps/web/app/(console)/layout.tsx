import Link from "next/link";
import type { ReactNode } from "react";
import { ErrorBox } from "@/components/ErrorBox";
import { Nav } from "@/components/Nav";
import { SignOutButton } from "@/components/SignOutButton";
import { graphql } from "@/lib/generated/gql";
import { tryGql } from "@/lib/graphql";

export const dynamic = "force-dynamic";

const VIEWER_QUERY = graphql(`
  query ConsoleViewer {
    viewer {
      keyId
      name
      role
      keyPrefix
    }
  }
`);

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  // Redirects to /sign-in when there is no session or the API rejects the key.
  const result = await tryGql(VIEWER_QUERY);
  const viewer = result.ok ? result.data.viewer : null;

  return (
    <div className="shell">
      <aside className="sidebar">
        <Link href="/" className="brand">
          <span className="brand-mark" aria-hidden="true">
            D
          </span>
          DAM console
        </Link>
        <Nav role={viewer?.role} />
      </aside>
      <div className="main-column">
        <header className="topbar">
          <div className="topbar-title">E-commerce search &amp; recommendation data</div>
          <div className="topbar-user">
            {viewer ? (
              <span className="viewer" data-testid="viewer">
                <span className="viewer-name">{viewer.name}</span>
                <span className={`role role-${viewer.role.toLowerCase()}`}>{viewer.role}</span>
                <span className="muted mono" title="Key prefix">
                  {viewer.keyPrefix}…
                </span>
              </span>
            ) : null}
            <SignOutButton />
          </div>
        </header>
        <main className="content">{result.ok ? children : <ErrorBox error={result.error} />}</main>
      </div>
    </div>
  );
}
