import sharp from "sharp";

/*
 * Image decoding with sharp (libvips, prebuilt from the @img/sharp-* npm packages; no install script
 * runs). One decoder for everything: the import checks and thumbnails, and the pixels the embedding
 * job feeds the model, so what imports is exactly what embeds.
 */

// Formats a catalogue photo may come in; anything else libvips can read (PDF, SVG, raw FITS...) is refused.
export const IMAGE_FORMATS = ["jpeg", "png", "webp", "gif", "avif", "heif", "tiff"] as const;
export type TImageFormat = (typeof IMAGE_FORMATS)[number];
const EXTENSIONS: Record<TImageFormat, string> = {
  jpeg: "jpg",
  png: "png",
  webp: "webp",
  gif: "gif",
  avif: "avif",
  heif: "heic",
  tiff: "tif",
};
export const extensionOf = (format: TImageFormat): string => EXTENSIONS[format];

export const THUMBNAIL_EDGE = 160;

export type TImageLimits = { maxBytes: number; maxPixels: number };

export type TCheckedImage =
  | { ok: true; format: TImageFormat; width: number; height: number; thumbnail: Buffer }
  | { ok: false; reason: string };

// libvips repeats its warnings on several lines; one line reads better in a reject list.
const describe = (error: unknown): string =>
  [
    ...new Set(
      (error as Error).message
        .split("\n")
        .map((line) => line.trim())
        .filter(Boolean),
    ),
  ].join("; ");

const isFormat = (value: string | undefined): value is TImageFormat =>
  value !== undefined && (IMAGE_FORMATS as readonly string[]).includes(value);

/**
 * Decodes the whole picture (so a truncated file is caught, not only a bad header) and makes its
 * thumbnail: at most THUMBNAIL_EDGE on the long side, never enlarged, transparency flattened onto
 * white (catalogue photos are dark items on white), WebP. Returns the reason when it is unusable.
 */
export const checkImage = async (bytes: Buffer, limits: TImageLimits): Promise<TCheckedImage> => {
  if (bytes.length > limits.maxBytes) {
    return { ok: false, reason: `oversized: ${bytes.length} bytes, over the limit of ${limits.maxBytes}` };
  }
  if (bytes.length === 0) return { ok: false, reason: "unreadable: the file is empty" };
  let meta: Awaited<ReturnType<ReturnType<typeof sharp>["metadata"]>>;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    return { ok: false, reason: `unreadable: ${describe(error)}` };
  }
  if (!isFormat(meta.format)) {
    return {
      ok: false,
      reason: `unsupported format ${meta.format ?? "unknown"} (use ${IMAGE_FORMATS.join(", ")})`,
    };
  }
  const width = meta.autoOrient?.width ?? meta.width ?? 0;
  const height = meta.autoOrient?.height ?? meta.height ?? 0;
  if (width * height > limits.maxPixels) {
    return {
      ok: false,
      reason: `oversized: ${width}x${height} pixels, over the limit of ${limits.maxPixels} pixels`,
    };
  }
  try {
    const thumbnail = await sharp(bytes, { failOn: "error", limitInputPixels: limits.maxPixels })
      .rotate()
      .flatten({ background: "#ffffff" })
      .resize(THUMBNAIL_EDGE, THUMBNAIL_EDGE, { fit: "inside", withoutEnlargement: true })
      .webp({ quality: 82 })
      .toBuffer();
    return { ok: true, format: meta.format, width, height, thumbnail };
  } catch (error) {
    return { ok: false, reason: `unreadable: ${describe(error)}` };
  }
};

export type TRgbImage = { data: Uint8ClampedArray; width: number; height: number; channels: 3 };

/**
 * The picture as 8-bit sRGB pixels (EXIF orientation applied, alpha flattened onto white: a model
 * that drops the alpha channel would otherwise see a black background), for the embedding model;
 * resized to `size` when given (bilinear, like the processors' default resample 2).
 */
export const decodeRgb = async (
  bytes: Buffer,
  maxPixels: number,
  size: { width: number; height: number; fit: "cover" | "fill" } | null = null,
): Promise<TRgbImage> => {
  let image = sharp(bytes, { failOn: "error", limitInputPixels: maxPixels })
    .rotate()
    .flatten({ background: "#ffffff" });
  // Resizing while decoding (the model's input size) spares the model's processor a second pass in JS.
  if (size)
    image = image.resize(size.width, size.height, { fit: size.fit, position: "centre", kernel: "linear" });
  const { data, info } = await image
    .toColourspace("srgb")
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`expected 3 channels after decoding, got ${info.channels}`);
  return {
    data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength),
    width: info.width,
    height: info.height,
    channels: 3,
  };
};
