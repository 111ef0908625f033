-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "escalation" TEXT NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "Warning" ADD COLUMN     "acknowledgedAt" TIMESTAMP(3),
ADD COLUMN     "acknowledgedBy" TEXT,
ADD COLUMN     "escalateAt" TIMESTAMP(3),
ADD COLUMN     "escalatedAt" TIMESTAMP(3),
ADD COLUMN     "escalationEnded" TEXT,
ADD COLUMN     "escalationStep" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "PostedMessageWarning" ADD COLUMN     "renderedAck" TEXT,
ADD COLUMN     "renderedStep" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "Warning_state_escalateAt_idx" ON "Warning"("state", "escalateAt");
