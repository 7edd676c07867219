-- AlterTable
ALTER TABLE "EmbeddingSet" ADD COLUMN "modality" TEXT NOT NULL DEFAULT 'text',
ADD COLUMN "imageSetId" UUID;

-- CreateTable
CREATE TABLE "ImageSet" (
    "id" UUID NOT NULL,
    "catalogVersionId" UUID NOT NULL,
    "source" JSONB NOT NULL DEFAULT '{}',
    "count" INTEGER NOT NULL DEFAULT 0,
    "rejectedCount" INTEGER NOT NULL DEFAULT 0,
    "rejects" JSONB NOT NULL DEFAULT '[]',
    "status" "ArtifactStatus" NOT NULL DEFAULT 'BUILDING',
    "location" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ImageSet_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ImageSet_catalogVersionId_idx" ON "ImageSet"("catalogVersionId");
