"use client";

import { useState } from "react";

/**
 * Ends the console session (DELETE /api/session: the API revokes it, the cookie is cleared), then goes
 * to sign-in. A script call rather than a form post, because the console's routes refuse form bodies.
 */
export function SignOutButton() {
  const [pending, setPending] = useState(false);
  async function signOut() {
    setPending(true);
    try {
      await fetch("/api/session", { method: "DELETE", credentials: "same-origin", cache: "no-store" });
    } finally {
      // Even when the console server cannot be reached, leave the signed-in pages.
      window.location.assign("/sign-in");
    }
  }
  return (
    <button type="button" className="button" onClick={signOut} disabled={pending}>
      {pending ? "Signing out…" : "Sign out"}
    </button>
  );
}
