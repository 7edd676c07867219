-- AlterTable
ALTER TABLE "RejectedRow" ADD COLUMN     "file" TEXT;

-- CreateTable
CREATE TABLE "Upload" (
    "id" UUID NOT NULL,
    "originalName" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "bytes" BIGINT NOT NULL,
    "sha256" TEXT NOT NULL,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Upload_pkey" PRIMARY KEY ("id")
);
