import path from "node:path";
import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Workspace packages ship TypeScript source.
  transpilePackages: ["@dam/cleaning"],
  // The console never loads remote images and ships no web fonts (it must work offline).
  images: { unoptimized: true, remotePatterns: [] },
  // npm workspaces hoist dependencies to the repository root.
  turbopack: { root: path.join(__dirname, "../..") },
  outputFileTracingRoot: path.join(__dirname, "../.."),
};

export default nextConfig;
