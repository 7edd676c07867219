-- CreateEnum
CREATE TYPE "SearchRuleAction" AS ENUM ('PIN', 'BOOST', 'BURY');

-- CreateEnum
CREATE TYPE "SearchRuleMatch" AS ENUM ('EXACT', 'CONTAINS');

-- CreateEnum
CREATE TYPE "SearchRuleTarget" AS ENUM ('ITEM', 'CATEGORY');

-- CreateTable
CREATE TABLE "SearchRule" (
    "id" UUID NOT NULL,
    "query" TEXT NOT NULL,
    "match" "SearchRuleMatch" NOT NULL,
    "action" "SearchRuleAction" NOT NULL,
    "target" "SearchRuleTarget" NOT NULL,
    "value" TEXT NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,
    "startsAt" TIMESTAMP(3),
    "endsAt" TIMESTAMP(3),
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SearchRule_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SearchRule_query_idx" ON "SearchRule"("query");
