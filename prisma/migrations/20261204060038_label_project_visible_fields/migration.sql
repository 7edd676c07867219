-- AlterTable
ALTER TABLE "LabelProject" ADD COLUMN     "visiblePayloadFields" TEXT[] DEFAULT ARRAY[]::TEXT[];
