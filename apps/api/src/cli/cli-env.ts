import { z } from "zod";

// The command line is a separate program from the API: it reads only where the API is and which key to send.
const ZCliEnv = z.object({
  DAM_API_URL: z.string().url().default("http://localhost:4000"),
  DAM_TOKEN: z.string().optional(),
  DAM_ADMIN_TOKEN: z.string().optional(),
});

export const readCliEnv = (source: NodeJS.ProcessEnv = process.env) => {
  const env = ZCliEnv.parse(source);
  const token = env.DAM_TOKEN ?? env.DAM_ADMIN_TOKEN;
  if (!token)
    throw new Error("No API key: set DAM_TOKEN (or DAM_ADMIN_TOKEN) to a key with the steward or admin role");
  return { apiUrl: env.DAM_API_URL.replace(/\/$/, ""), token };
};
