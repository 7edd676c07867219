import type { Request, Response } from "express";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import { authenticate } from "../auth/auth.service.ts";
import { assertCan } from "../auth/permissions.ts";
import { receiveUpload } from "./upload.service.ts";

const STATUS: Record<string, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, BAD_USER_INPUT: 400 };

/** POST /api/v1/uploads?name=<file name>: the raw file as the request body (any content type). */
export const uploadRoute = (deps: TDeps, maxBytes: number) => async (req: Request, res: Response) => {
  try {
    const principal = await authenticate(deps, req.headers.authorization);
    assertCan(principal, "catalog:write");
    const name = typeof req.query.name === "string" ? req.query.name : "";
    const upload = await receiveUpload(deps, principal, req, { fileName: name, maxBytes });
    res.status(201).json({
      uploadId: upload.id,
      name: upload.originalName,
      bytes: Number(upload.bytes),
      sha256: upload.sha256,
    });
  } catch (error) {
    if (error instanceof AppError) {
      res.status(STATUS[error.code] ?? 400).json({ error: { code: error.code, message: error.message } });
      return;
    }
    throw error;
  }
};
