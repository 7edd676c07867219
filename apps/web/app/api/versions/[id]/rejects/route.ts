import type { NextRequest } from "next/server";
import { proxyDownload } from "@/lib/download-proxy";

export const dynamic = "force-dynamic";

/** A version's rejected rows as CSV, streamed from the API. */
export async function GET(request: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return proxyDownload(request, `/api/v1/versions/${encodeURIComponent(id)}/rejects.csv`);
}
