-- CreateEnum
CREATE TYPE "PiiTagStatus" AS ENUM ('SUGGESTED', 'CONFIRMED', 'REJECTED');

-- CreateTable
CREATE TABLE "ColumnPiiTag" (
    "id" UUID NOT NULL,
    "versionId" UUID NOT NULL,
    "column" TEXT NOT NULL,
    "piiType" TEXT NOT NULL,
    "confidence" DOUBLE PRECISION NOT NULL,
    "source" TEXT NOT NULL,
    "status" "PiiTagStatus" NOT NULL DEFAULT 'SUGGESTED',
    "maskingMode" TEXT NOT NULL,
    "evidence" JSONB NOT NULL DEFAULT '{}',
    "inheritedFromVersionId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ColumnPiiTag_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PiiDecision" (
    "id" UUID NOT NULL,
    "datasetId" UUID NOT NULL,
    "column" TEXT NOT NULL,
    "piiType" TEXT NOT NULL,
    "status" "PiiTagStatus" NOT NULL,
    "maskingMode" TEXT,
    "decidedById" UUID,
    "decidedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PiiDecision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PrivacySetting" (
    "id" TEXT NOT NULL,
    "hmacSecret" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PrivacySetting_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ColumnPiiTag_versionId_column_piiType_key" ON "ColumnPiiTag"("versionId", "column", "piiType");

-- CreateIndex
CREATE UNIQUE INDEX "PiiDecision_datasetId_column_piiType_key" ON "PiiDecision"("datasetId", "column", "piiType");

-- AddForeignKey
ALTER TABLE "ColumnPiiTag" ADD CONSTRAINT "ColumnPiiTag_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "DatasetVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PiiDecision" ADD CONSTRAINT "PiiDecision_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;
