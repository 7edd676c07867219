-- CreateTable
CREATE TABLE "ConsoleSession" (
    "id" UUID NOT NULL,
    "hash" TEXT NOT NULL,
    "apiKeyId" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),
    "revokedReason" TEXT,

    CONSTRAINT "ConsoleSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LabelProjectMember" (
    "projectId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "addedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "addedByKeyId" UUID,

    CONSTRAINT "LabelProjectMember_pkey" PRIMARY KEY ("projectId","userId")
);

-- CreateIndex
CREATE UNIQUE INDEX "ConsoleSession_hash_key" ON "ConsoleSession"("hash");

-- CreateIndex
CREATE INDEX "ConsoleSession_apiKeyId_idx" ON "ConsoleSession"("apiKeyId");

-- CreateIndex
CREATE INDEX "LabelProjectMember_userId_idx" ON "LabelProjectMember"("userId");

-- AddForeignKey
ALTER TABLE "ConsoleSession" ADD CONSTRAINT "ConsoleSession_apiKeyId_fkey" FOREIGN KEY ("apiKeyId") REFERENCES "ApiKey"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LabelProjectMember" ADD CONSTRAINT "LabelProjectMember_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "LabelProject"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LabelProjectMember" ADD CONSTRAINT "LabelProjectMember_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Backfill (by hand): whoever already holds a lease or gave a label in a project becomes its member, so
-- labellers keep the projects they were working on when the membership filter arrives.
INSERT INTO "LabelProjectMember" ("projectId", "userId")
SELECT t."projectId", a."userId" FROM "LabelAssignment" a JOIN "LabelTask" t ON t.id = a."taskId"
UNION
SELECT t."projectId", l."userId" FROM "Label" l JOIN "LabelTask" t ON t.id = l."taskId" WHERE NOT l."isGold"
ON CONFLICT DO NOTHING;
