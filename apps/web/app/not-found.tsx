import Link from "next/link";

export default function NotFound() {
  return (
    <main className="signin">
      <div className="signin-card">
        <h1>Not found</h1>
        <p className="muted">This page or record does not exist.</p>
        <Link href="/" className="button">
          Back to the dashboard
        </Link>
      </div>
    </main>
  );
}
