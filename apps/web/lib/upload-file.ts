/**
 * Uploads one file through the console's upload route and returns its upload id. The route takes raw
 * bytes only as application/octet-stream (app/api/upload/route.ts), whatever the file's own type (a zip
 * of pictures included), so the body is always declared as such.
 */
export async function uploadFile(file: File): Promise<string> {
  const response = await fetch(`/api/upload?name=${encodeURIComponent(file.name)}`, {
    method: "POST",
    headers: { "content-type": "application/octet-stream" },
    body: file,
  });
  const body = (await response.json()) as { uploadId?: string; error?: { code: string; message: string } };
  if (!response.ok || !body.uploadId)
    throw new Error(`${file.name}: ${body.error?.message ?? `HTTP ${response.status}`}`);
  return body.uploadId;
}
