-- CreateEnum
CREATE TYPE "Role" AS ENUM ('ADMIN', 'STEWARD', 'LABELLER', 'VIEWER', 'CLIENT');

-- CreateEnum
CREATE TYPE "DatasetKind" AS ENUM ('CATALOG', 'EVENTS', 'TRANSACTIONS', 'USERS', 'LABELS', 'DERIVED', 'OTHER');

-- CreateEnum
CREATE TYPE "VersionStatus" AS ENUM ('PENDING', 'LOADING', 'READY', 'FAILED');

-- CreateEnum
CREATE TYPE "Severity" AS ENUM ('WARN', 'ERROR');

-- CreateEnum
CREATE TYPE "RunStatus" AS ENUM ('RUNNING', 'PASSED', 'FAILED', 'ERRORED');

-- CreateEnum
CREATE TYPE "JobStatus" AS ENUM ('QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "ArtifactStatus" AS ENUM ('BUILDING', 'READY', 'FAILED');

-- CreateEnum
CREATE TYPE "ModelStatus" AS ENUM ('TRAINING', 'READY', 'ACTIVE', 'RETIRED', 'FAILED');

-- CreateTable
CREATE TABLE "User" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabledAt" TIMESTAMP(3),

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "userId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" UUID,
    "actorKeyId" UUID,
    "action" TEXT NOT NULL,
    "targetType" TEXT NOT NULL,
    "targetId" TEXT NOT NULL,
    "details" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Dataset" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "kind" "DatasetKind" NOT NULL,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "ownerId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Dataset_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DatasetVersion" (
    "id" UUID NOT NULL,
    "datasetId" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "status" "VersionStatus" NOT NULL DEFAULT 'PENDING',
    "tableName" TEXT NOT NULL,
    "schema" JSONB NOT NULL DEFAULT '[]',
    "rowCount" BIGINT NOT NULL DEFAULT 0,
    "rejectedCount" BIGINT NOT NULL DEFAULT 0,
    "source" JSONB NOT NULL DEFAULT '{}',
    "parentId" UUID,
    "qualityScore" DOUBLE PRECISION,
    "qualityFailed" BOOLEAN NOT NULL DEFAULT false,
    "qualityOverride" BOOLEAN NOT NULL DEFAULT false,
    "profile" JSONB,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "readyAt" TIMESTAMP(3),

    CONSTRAINT "DatasetVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RejectedRow" (
    "id" BIGSERIAL NOT NULL,
    "versionId" UUID NOT NULL,
    "line" INTEGER NOT NULL,
    "column" TEXT,
    "reason" TEXT NOT NULL,
    "raw" TEXT NOT NULL,

    CONSTRAINT "RejectedRow_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "QualityRule" (
    "id" UUID NOT NULL,
    "datasetId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "params" JSONB NOT NULL DEFAULT '{}',
    "severity" "Severity" NOT NULL DEFAULT 'ERROR',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "schedule" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "QualityRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "QualityRun" (
    "id" UUID NOT NULL,
    "versionId" UUID NOT NULL,
    "status" "RunStatus" NOT NULL DEFAULT 'RUNNING',
    "score" DOUBLE PRECISION,
    "trigger" TEXT NOT NULL DEFAULT 'import',
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "QualityRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "QualityResult" (
    "id" UUID NOT NULL,
    "runId" UUID NOT NULL,
    "ruleId" UUID NOT NULL,
    "passed" BOOLEAN NOT NULL,
    "failingCount" BIGINT NOT NULL DEFAULT 0,
    "checkedCount" BIGINT NOT NULL DEFAULT 0,
    "observed" JSONB NOT NULL DEFAULT '{}',
    "samples" JSONB NOT NULL DEFAULT '[]',

    CONSTRAINT "QualityResult_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CleaningRecipe" (
    "id" UUID NOT NULL,
    "datasetId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "steps" JSONB NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CleaningRecipe_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LineageNode" (
    "id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "refId" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LineageNode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LineageEdge" (
    "id" UUID NOT NULL,
    "fromId" UUID NOT NULL,
    "toId" UUID NOT NULL,
    "jobId" UUID,
    "relation" TEXT NOT NULL DEFAULT 'derived_from',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LineageEdge_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LabelSchema" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "options" JSONB NOT NULL DEFAULT '[]',
    "instructions" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LabelSchema_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LabelProject" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "schemaId" UUID NOT NULL,
    "sourceVersionId" UUID,
    "overlap" INTEGER NOT NULL DEFAULT 1,
    "leaseSeconds" INTEGER NOT NULL DEFAULT 600,
    "status" TEXT NOT NULL DEFAULT 'OPEN',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LabelProject_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LabelTask" (
    "id" UUID NOT NULL,
    "projectId" UUID NOT NULL,
    "payload" JSONB NOT NULL,
    "goldValue" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LabelTask_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LabelAssignment" (
    "id" UUID NOT NULL,
    "taskId" UUID NOT NULL,
    "slot" INTEGER NOT NULL,
    "userId" UUID NOT NULL,
    "leaseExpiresAt" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'LEASED',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LabelAssignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Label" (
    "id" UUID NOT NULL,
    "taskId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "value" JSONB NOT NULL,
    "isGold" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Label_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Job" (
    "id" UUID NOT NULL,
    "queue" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "bullId" TEXT NOT NULL,
    "status" "JobStatus" NOT NULL DEFAULT 'QUEUED',
    "progress" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "message" TEXT,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "input" JSONB NOT NULL DEFAULT '{}',
    "inputIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "outputIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "result" JSONB,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "cancelRequested" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "Job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EmbeddingSet" (
    "id" UUID NOT NULL,
    "sourceVersionId" UUID NOT NULL,
    "modelId" TEXT NOT NULL,
    "modelVersion" TEXT NOT NULL,
    "backend" TEXT NOT NULL,
    "dimension" INTEGER NOT NULL,
    "template" TEXT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,
    "status" "ArtifactStatus" NOT NULL DEFAULT 'BUILDING',
    "location" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EmbeddingSet_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FeatureSet" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "recipe" JSONB NOT NULL DEFAULT '{}',
    "dimension" INTEGER NOT NULL DEFAULT 0,
    "count" INTEGER NOT NULL DEFAULT 0,
    "status" "ArtifactStatus" NOT NULL DEFAULT 'BUILDING',
    "location" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FeatureSet_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProfileSet" (
    "id" UUID NOT NULL,
    "eventsVersionId" UUID NOT NULL,
    "featureSetId" UUID,
    "params" JSONB NOT NULL DEFAULT '{}',
    "userCount" INTEGER NOT NULL DEFAULT 0,
    "status" "ArtifactStatus" NOT NULL DEFAULT 'BUILDING',
    "location" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProfileSet_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SegmentSet" (
    "id" UUID NOT NULL,
    "profileSetId" UUID NOT NULL,
    "algorithm" TEXT NOT NULL,
    "params" JSONB NOT NULL DEFAULT '{}',
    "metrics" JSONB NOT NULL DEFAULT '{}',
    "status" "ArtifactStatus" NOT NULL DEFAULT 'BUILDING',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SegmentSet_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Segment" (
    "id" UUID NOT NULL,
    "segmentSetId" UUID NOT NULL,
    "index" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "centroid" DOUBLE PRECISION[] DEFAULT ARRAY[]::DOUBLE PRECISION[],
    "summary" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "Segment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ModelVersion" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "algorithm" TEXT NOT NULL,
    "params" JSONB NOT NULL DEFAULT '{}',
    "protocol" TEXT,
    "metrics" JSONB NOT NULL DEFAULT '{}',
    "curves" JSONB NOT NULL DEFAULT '[]',
    "inputIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "trainSeconds" DOUBLE PRECISION,
    "location" TEXT,
    "status" "ModelStatus" NOT NULL DEFAULT 'TRAINING',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "promotedAt" TIMESTAMP(3),

    CONSTRAINT "ModelVersion_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_hash_key" ON "ApiKey"("hash");

-- CreateIndex
CREATE INDEX "AuditEvent_targetType_targetId_idx" ON "AuditEvent"("targetType", "targetId");

-- CreateIndex
CREATE INDEX "AuditEvent_at_idx" ON "AuditEvent"("at");

-- CreateIndex
CREATE UNIQUE INDEX "Dataset_name_key" ON "Dataset"("name");

-- CreateIndex
CREATE INDEX "Dataset_kind_idx" ON "Dataset"("kind");

-- CreateIndex
CREATE UNIQUE INDEX "DatasetVersion_tableName_key" ON "DatasetVersion"("tableName");

-- CreateIndex
CREATE UNIQUE INDEX "DatasetVersion_datasetId_number_key" ON "DatasetVersion"("datasetId", "number");

-- CreateIndex
CREATE INDEX "RejectedRow_versionId_line_idx" ON "RejectedRow"("versionId", "line");

-- CreateIndex
CREATE UNIQUE INDEX "QualityRule_datasetId_name_key" ON "QualityRule"("datasetId", "name");

-- CreateIndex
CREATE INDEX "QualityRun_versionId_startedAt_idx" ON "QualityRun"("versionId", "startedAt");

-- CreateIndex
CREATE UNIQUE INDEX "QualityResult_runId_ruleId_key" ON "QualityResult"("runId", "ruleId");

-- CreateIndex
CREATE UNIQUE INDEX "CleaningRecipe_datasetId_name_key" ON "CleaningRecipe"("datasetId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "LineageNode_type_refId_key" ON "LineageNode"("type", "refId");

-- CreateIndex
CREATE INDEX "LineageEdge_toId_idx" ON "LineageEdge"("toId");

-- CreateIndex
CREATE UNIQUE INDEX "LineageEdge_fromId_toId_relation_key" ON "LineageEdge"("fromId", "toId", "relation");

-- CreateIndex
CREATE UNIQUE INDEX "LabelSchema_name_key" ON "LabelSchema"("name");

-- CreateIndex
CREATE UNIQUE INDEX "LabelProject_name_key" ON "LabelProject"("name");

-- CreateIndex
CREATE INDEX "LabelTask_projectId_idx" ON "LabelTask"("projectId");

-- CreateIndex
CREATE UNIQUE INDEX "LabelAssignment_taskId_slot_key" ON "LabelAssignment"("taskId", "slot");

-- CreateIndex
CREATE UNIQUE INDEX "LabelAssignment_taskId_userId_key" ON "LabelAssignment"("taskId", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "Label_taskId_userId_isGold_key" ON "Label"("taskId", "userId", "isGold");

-- CreateIndex
CREATE INDEX "Job_status_createdAt_idx" ON "Job"("status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Job_queue_bullId_key" ON "Job"("queue", "bullId");

-- CreateIndex
CREATE UNIQUE INDEX "FeatureSet_name_version_key" ON "FeatureSet"("name", "version");

-- CreateIndex
CREATE UNIQUE INDEX "Segment_segmentSetId_index_key" ON "Segment"("segmentSetId", "index");

-- CreateIndex
CREATE UNIQUE INDEX "ModelVersion_name_version_key" ON "ModelVersion"("name", "version");

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEvent" ADD CONSTRAINT "AuditEvent_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Dataset" ADD CONSTRAINT "Dataset_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DatasetVersion" ADD CONSTRAINT "DatasetVersion_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DatasetVersion" ADD CONSTRAINT "DatasetVersion_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "DatasetVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RejectedRow" ADD CONSTRAINT "RejectedRow_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "DatasetVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QualityRule" ADD CONSTRAINT "QualityRule_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QualityRun" ADD CONSTRAINT "QualityRun_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "DatasetVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QualityResult" ADD CONSTRAINT "QualityResult_runId_fkey" FOREIGN KEY ("runId") REFERENCES "QualityRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QualityResult" ADD CONSTRAINT "QualityResult_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "QualityRule"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CleaningRecipe" ADD CONSTRAINT "CleaningRecipe_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LineageEdge" ADD CONSTRAINT "LineageEdge_fromId_fkey" FOREIGN KEY ("fromId") REFERENCES "LineageNode"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LineageEdge" ADD CONSTRAINT "LineageEdge_toId_fkey" FOREIGN KEY ("toId") REFERENCES "LineageNode"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LabelProject" ADD CONSTRAINT "LabelProject_schemaId_fkey" FOREIGN KEY ("schemaId") REFERENCES "LabelSchema"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LabelTask" ADD CONSTRAINT "LabelTask_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "LabelProject"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LabelAssignment" ADD CONSTRAINT "LabelAssignment_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "LabelTask"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LabelAssignment" ADD CONSTRAINT "LabelAssignment_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Label" ADD CONSTRAINT "Label_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "LabelTask"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Label" ADD CONSTRAINT "Label_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SegmentSet" ADD CONSTRAINT "SegmentSet_profileSetId_fkey" FOREIGN KEY ("profileSetId") REFERENCES "ProfileSet"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Segment" ADD CONSTRAINT "Segment_segmentSetId_fkey" FOREIGN KEY ("segmentSetId") REFERENCES "SegmentSet"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written (not generated from schema.prisma): the data plane keeps each dataset version's rows in
-- its own table in schema `data` (packages/db/src/data-plane.ts). Prisma does not manage this schema.
CREATE SCHEMA IF NOT EXISTS data;
