import { type NextRequest, NextResponse } from "next/server";
import { clearSessionCookie } from "@/lib/session";

export const dynamic = "force-dynamic";

/** POST from the sign-out form: clears the session and sends the browser to /sign-in. */
export async function POST(request: NextRequest): Promise<NextResponse> {
  const response = new NextResponse(null, { status: 303, headers: { location: "/sign-in" } });
  clearSessionCookie(response, request);
  return response;
}
