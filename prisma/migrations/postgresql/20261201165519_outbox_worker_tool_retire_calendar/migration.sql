-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "calendarSecret" TEXT;

-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "calendarSecret" TEXT;

-- AlterTable
ALTER TABLE "Connection" ADD COLUMN     "retiredAt" TIMESTAMP(3),
ADD COLUMN     "tool" TEXT;

-- AlterTable
ALTER TABLE "Warning" ADD COLUMN     "nextAttemptAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "PostedMessage" (
    "id" SERIAL NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "ts" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "recipient" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3),
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PostedMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PostedMessageWarning" (
    "messageId" INTEGER NOT NULL,
    "warningId" INTEGER NOT NULL,
    "renderedState" TEXT NOT NULL,

    CONSTRAINT "PostedMessageWarning_pkey" PRIMARY KEY ("messageId","warningId")
);

-- CreateIndex
CREATE INDEX "PostedMessage_workspaceId_idx" ON "PostedMessage"("workspaceId");

-- CreateIndex
CREATE UNIQUE INDEX "PostedMessage_channel_ts_key" ON "PostedMessage"("channel", "ts");

-- CreateIndex
CREATE INDEX "PostedMessageWarning_warningId_idx" ON "PostedMessageWarning"("warningId");

-- CreateIndex
CREATE UNIQUE INDEX "Workspace_calendarSecret_key" ON "Workspace"("calendarSecret");

-- CreateIndex
CREATE UNIQUE INDEX "Member_calendarSecret_key" ON "Member"("calendarSecret");

-- CreateIndex
CREATE INDEX "Warning_state_nextAttemptAt_idx" ON "Warning"("state", "nextAttemptAt");

-- AddForeignKey
ALTER TABLE "PostedMessage" ADD CONSTRAINT "PostedMessage_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PostedMessageWarning" ADD CONSTRAINT "PostedMessageWarning_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "PostedMessage"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PostedMessageWarning" ADD CONSTRAINT "PostedMessageWarning_warningId_fkey" FOREIGN KEY ("warningId") REFERENCES "Warning"("id") ON DELETE CASCADE ON UPDATE CASCADE;
