import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { checkImage, decodeRgb, THUMBNAIL_EDGE } from "./image-decode.ts";

const LIMITS = { maxBytes: 1_000_000, maxPixels: 1_000_000 };

const picture = (width: number, height: number, alpha = 1) =>
  sharp({ create: { width, height, channels: 4, background: { r: 20, g: 40, b: 200, alpha } } });

describe("image decoding with sharp", () => {
  it("accepts a picture and makes a WebP thumbnail no larger than the edge", async () => {
    const png = await picture(400, 200).png().toBuffer();
    const checked = await checkImage(png, LIMITS);
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect([checked.format, checked.width, checked.height]).toEqual(["png", 400, 200]);
    const meta = await sharp(checked.thumbnail).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["webp", THUMBNAIL_EDGE, THUMBNAIL_EDGE / 2]);
  });

  it("never enlarges a small picture", async () => {
    const checked = await checkImage(await picture(28, 28).png().toBuffer(), LIMITS);
    expect(checked.ok && (await sharp(checked.thumbnail).metadata()).width).toBe(28);
  });

  it("rejects truncated, empty, foreign and oversized files with the reason", async () => {
    const jpeg = await picture(300, 300).flatten({ background: "#fff" }).jpeg().toBuffer();
    const truncated = await checkImage(jpeg.subarray(0, Math.floor(jpeg.length / 2)), LIMITS);
    expect(truncated).toMatchObject({ ok: false, reason: expect.stringMatching(/^unreadable: .*JPEG/) });
    expect(truncated.ok || truncated.reason.includes("\n")).toBe(false);
    expect(await checkImage(Buffer.alloc(0), LIMITS)).toEqual({
      ok: false,
      reason: "unreadable: the file is empty",
    });
    expect(await checkImage(Buffer.from("id,title\n1,mug\n"), LIMITS)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^unreadable: .*unsupported image format/),
    });
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>',
    );
    expect(await checkImage(svg, LIMITS)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^unsupported format svg/),
    });
    const png = await picture(200, 100).png().toBuffer();
    expect(await checkImage(png, { maxBytes: 10, maxPixels: 1e6 })).toMatchObject({
      ok: false,
      reason: `oversized: ${png.length} bytes, over the limit of 10`,
    });
    expect(await checkImage(png, { maxBytes: 1e6, maxPixels: 10_000 })).toEqual({
      ok: false,
      reason: "oversized: 200x100 pixels, over the limit of 10000 pixels",
    });
  });

  it("decodes to RGB with transparency flattened onto white", async () => {
    const clear = await picture(4, 3, 0).png().toBuffer();
    const rgb = await decodeRgb(clear, 1_000);
    expect([rgb.width, rgb.height, rgb.channels, rgb.data.length]).toEqual([4, 3, 3, 36]);
    expect([...rgb.data.slice(0, 3)]).toEqual([255, 255, 255]);
    const grey = await sharp({ create: { width: 2, height: 2, channels: 3, background: "#808080" } })
      .greyscale()
      .png()
      .toBuffer();
    expect([...(await decodeRgb(grey, 1_000)).data.slice(0, 3)]).toEqual([128, 128, 128]);
  });
});
