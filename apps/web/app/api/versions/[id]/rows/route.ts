import type { NextRequest } from "next/server";
import { proxyDownload } from "@/lib/download-proxy";

export const dynamic = "force-dynamic";

/** Every row of a READY version, streamed from the API as CSV (default) or JSON Lines (`?format=jsonl`). */
export async function GET(request: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const format = request.nextUrl.searchParams.get("format") === "jsonl" ? "jsonl" : "csv";
  return proxyDownload(request, `/api/v1/versions/${encodeURIComponent(id)}/rows.${format}`);
}
