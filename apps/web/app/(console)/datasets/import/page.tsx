import type { Metadata } from "next";
import { ImportForm } from "./ImportForm";

export const metadata: Metadata = { title: "Import a dataset" };

export default function ImportPage() {
  return (
    <>
      <h1>Import a dataset</h1>
      <p className="muted">
        CSV (any delimiter, optionally gzip-compressed, UTF-8 or Latin-1) or JSON Lines. Several files are
        read in order into one version. Rows that cannot be read are reported with their line; every good row
        still loads.
      </p>
      <ImportForm />
    </>
  );
}
