-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "statusCanvas" BOOLEAN NOT NULL DEFAULT true;

-- CreateTable
CREATE TABLE "StatusCanvas" (
    "workspaceId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'none',
    "canvasId" TEXT,
    "sectionIds" TEXT NOT NULL DEFAULT '{}',
    "contentHash" TEXT,
    "editedAt" TIMESTAMP(3),
    "claimedBy" TEXT,
    "claimedUntil" TIMESTAMP(3),
    "problem" TEXT,
    "noticeAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StatusCanvas_pkey" PRIMARY KEY ("workspaceId")
);

-- AddForeignKey
ALTER TABLE "StatusCanvas" ADD CONSTRAINT "StatusCanvas_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
