-- CreateTable
CREATE TABLE "NewItemSetting" (
    "modelName" TEXT NOT NULL,
    "share" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "NewItemSetting_pkey" PRIMARY KEY ("modelName")
);
