
-- AlterEnum
ALTER TYPE "VersionStatus" ADD VALUE 'EXPIRED';

-- AlterTable
ALTER TABLE "DatasetVersion" ADD COLUMN     "expiredAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "ModelVersion" ADD COLUMN     "staleAt" TIMESTAMP(3),
ADD COLUMN     "staleReason" TEXT;

-- CreateTable
CREATE TABLE "ErasureRequest" (
    "id" UUID NOT NULL,
    "identifierKind" TEXT NOT NULL,
    "identifierHash" TEXT NOT NULL,
    "identifierHint" TEXT NOT NULL,
    "identifier" TEXT,
    "status" TEXT NOT NULL DEFAULT 'QUEUED',
    "jobId" UUID,
    "report" JSONB,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "ErasureRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VersionErasure" (
    "id" UUID NOT NULL,
    "versionId" UUID NOT NULL,
    "erasureRequestId" UUID NOT NULL,
    "columns" TEXT[],
    "rowsRemoved" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "VersionErasure_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RetentionPolicy" (
    "datasetId" UUID NOT NULL,
    "uploadDays" INTEGER,
    "supersededDays" INTEGER,
    "updatedById" UUID,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RetentionPolicy_pkey" PRIMARY KEY ("datasetId")
);

-- CreateTable
CREATE TABLE "RetentionRun" (
    "id" UUID NOT NULL,
    "trigger" TEXT NOT NULL,
    "jobId" UUID,
    "removed" JSONB NOT NULL DEFAULT '[]',
    "kept" JSONB NOT NULL DEFAULT '[]',
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RetentionRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ErasureRequest_identifierHash_idx" ON "ErasureRequest"("identifierHash");

-- CreateIndex
CREATE UNIQUE INDEX "VersionErasure_versionId_erasureRequestId_key" ON "VersionErasure"("versionId", "erasureRequestId");

-- AddForeignKey
ALTER TABLE "VersionErasure" ADD CONSTRAINT "VersionErasure_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "DatasetVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VersionErasure" ADD CONSTRAINT "VersionErasure_erasureRequestId_fkey" FOREIGN KEY ("erasureRequestId") REFERENCES "ErasureRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RetentionPolicy" ADD CONSTRAINT "RetentionPolicy_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;
