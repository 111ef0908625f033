-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN "calendarSecret" TEXT;

-- AlterTable
ALTER TABLE "Member" ADD COLUMN "calendarSecret" TEXT;

-- AlterTable
ALTER TABLE "Connection" ADD COLUMN "retiredAt" DATETIME;
ALTER TABLE "Connection" ADD COLUMN "tool" TEXT;

-- AlterTable
ALTER TABLE "Warning" ADD COLUMN "nextAttemptAt" DATETIME;

-- CreateTable
CREATE TABLE "PostedMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspaceId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "ts" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "recipient" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "PostedMessage_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PostedMessageWarning" (
    "messageId" INTEGER NOT NULL,
    "warningId" INTEGER NOT NULL,
    "renderedState" TEXT NOT NULL,

    PRIMARY KEY ("messageId", "warningId"),
    CONSTRAINT "PostedMessageWarning_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "PostedMessage" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "PostedMessageWarning_warningId_fkey" FOREIGN KEY ("warningId") REFERENCES "Warning" ("id") ON DELETE CASCADE ON UPDATE CASCADE
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
