import type { NextRequest } from "next/server";
import { proxyDownload } from "@/lib/download-proxy";

export const dynamic = "force-dynamic";

const FORMATS = new Set(["csv", "jsonl", "parquet"]);

/** Every row of a READY version, streamed from the API as CSV (default), JSON Lines or Parquet (`?format=`). */
export async function GET(request: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const asked = request.nextUrl.searchParams.get("format") ?? "csv";
  const format = FORMATS.has(asked) ? asked : "csv";
  return proxyDownload(request, `/api/v1/versions/${encodeURIComponent(id)}/rows.${format}`);
}
