import type { NextRequest } from "next/server";
import { proxyDownload } from "@/lib/download-proxy";

export const dynamic = "force-dynamic";

/** A LABELS version's rows as JSONL or CSV (?format=csv), streamed from the API. */
export async function GET(request: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const format = request.nextUrl.searchParams.get("format") === "csv" ? "csv" : "jsonl";
  return proxyDownload(request, `/api/v1/versions/${encodeURIComponent(id)}/labels.${format}`);
}
