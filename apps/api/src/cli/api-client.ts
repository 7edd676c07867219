import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";

export type TApiClient = ReturnType<typeof createApiClient>;

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

export const createApiClient = (apiUrl: string, token: string) => {
  const headers = { authorization: `Bearer ${token}` };
  return {
    graphql: async <T>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
      const response = await fetch(`${apiUrl}/graphql`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as {
        data?: T;
        errors?: { message: string; extensions?: { code?: string } }[];
      };
      const error = body.errors?.[0];
      if (error) throw new ApiError(error.message, error.extensions?.code ?? "ERROR");
      if (!body.data) throw new ApiError(`empty answer (HTTP ${response.status})`, "ERROR");
      return body.data;
    },
    /** A streamed GET of a download path; a refusal becomes an ApiError with the API's code and message. */
    download: async (pathname: string): Promise<ReadableStream<Uint8Array>> => {
      const response = await fetch(`${apiUrl}${pathname}`, { headers });
      if (!response.ok || !response.body) {
        const body = (await response.json().catch(() => ({}))) as {
          error?: { code: string; message: string };
        };
        throw new ApiError(body.error?.message ?? `HTTP ${response.status}`, body.error?.code ?? "ERROR");
      }
      return response.body;
    },
    /** Streams a file to the upload endpoint (never read whole into memory). */
    upload: async (file: string): Promise<{ uploadId: string; bytes: number }> => {
      const { size } = await stat(file);
      const response = await fetch(
        `${apiUrl}/api/v1/uploads?name=${encodeURIComponent(path.basename(file))}`,
        {
          method: "POST",
          headers: { ...headers, "content-type": "application/octet-stream", "content-length": String(size) },
          body: Readable.toWeb(createReadStream(file)) as ReadableStream,
          duplex: "half",
        } as RequestInit,
      );
      const body = (await response.json()) as {
        uploadId?: string;
        bytes?: number;
        error?: { code: string; message: string };
      };
      if (!response.ok || !body.uploadId) {
        throw new ApiError(
          `${path.basename(file)}: ${body.error?.message ?? `HTTP ${response.status}`}`,
          body.error?.code ?? "ERROR",
        );
      }
      return { uploadId: body.uploadId, bytes: body.bytes ?? size };
    },
  };
};
