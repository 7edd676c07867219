-- CreateEnum
CREATE TYPE "ExperimentStatus" AS ENUM ('DRAFT', 'RUNNING', 'STOPPED');

-- CreateTable
CREATE TABLE "Experiment" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "modelName" TEXT NOT NULL,
    "salt" TEXT NOT NULL,
    "status" "ExperimentStatus" NOT NULL DEFAULT 'DRAFT',
    "primaryMetric" TEXT NOT NULL,
    "guardrailMetrics" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "coverage" DOUBLE PRECISION NOT NULL DEFAULT 1,
    "alpha" DOUBLE PRECISION NOT NULL DEFAULT 0.05,
    "sequential" BOOLEAN NOT NULL DEFAULT true,
    "plannedUsersPerVariant" INTEGER NOT NULL,
    "attributionWindowMinutes" INTEGER NOT NULL DEFAULT 1440,
    "startAt" TIMESTAMP(3),
    "endAt" TIMESTAMP(3),
    "startedAt" TIMESTAMP(3),
    "stoppedAt" TIMESTAMP(3),
    "winnerVariantKey" TEXT,
    "promotedModelVersionId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdByKeyId" UUID,

    CONSTRAINT "Experiment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExperimentVariant" (
    "id" UUID NOT NULL,
    "experimentId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "modelVersionId" UUID NOT NULL,
    "share" DOUBLE PRECISION NOT NULL,
    "isControl" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "ExperimentVariant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Exposure" (
    "id" BIGSERIAL NOT NULL,
    "recommendationId" UUID NOT NULL,
    "experimentId" UUID NOT NULL,
    "variantPosition" INTEGER NOT NULL,
    "modelVersionId" UUID NOT NULL,
    "userId" TEXT NOT NULL,
    "itemIds" TEXT[],
    "ts" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Exposure_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExperimentEvent" (
    "id" BIGSERIAL NOT NULL,
    "experimentId" UUID NOT NULL,
    "variantPosition" INTEGER NOT NULL,
    "recommendationId" UUID NOT NULL,
    "userId" TEXT NOT NULL,
    "itemId" TEXT NOT NULL,
    "position" INTEGER,
    "type" TEXT NOT NULL,
    "value" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "ts" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ExperimentEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Experiment_name_key" ON "Experiment"("name");

-- CreateIndex
CREATE INDEX "Experiment_modelName_status_idx" ON "Experiment"("modelName", "status");

-- CreateIndex
CREATE UNIQUE INDEX "ExperimentVariant_experimentId_key_key" ON "ExperimentVariant"("experimentId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "ExperimentVariant_experimentId_position_key" ON "ExperimentVariant"("experimentId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "Exposure_recommendationId_key" ON "Exposure"("recommendationId");

-- CreateIndex
CREATE INDEX "Exposure_experimentId_userId_idx" ON "Exposure"("experimentId", "userId");

-- CreateIndex
CREATE INDEX "Exposure_userId_ts_idx" ON "Exposure"("userId", "ts");

-- CreateIndex
CREATE INDEX "ExperimentEvent_experimentId_userId_idx" ON "ExperimentEvent"("experimentId", "userId");

-- AddForeignKey
ALTER TABLE "ExperimentVariant" ADD CONSTRAINT "ExperimentVariant_experimentId_fkey" FOREIGN KEY ("experimentId") REFERENCES "Experiment"("id") ON DELETE CASCADE ON UPDATE CASCADE;
