-- CreateTable
CREATE TABLE "EscalationMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspaceId" TEXT NOT NULL,
    "warningId" INTEGER NOT NULL,
    "step" INTEGER NOT NULL,
    "rung" TEXT NOT NULL,
    "recipient" TEXT,
    "channel" TEXT,
    "mentions" TEXT NOT NULL DEFAULT '[]',
    "here" BOOLEAN NOT NULL DEFAULT false,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME,
    "lastError" TEXT,
    "lastErrorCode" TEXT,
    "claimedAt" DATETIME,
    "claimedBy" TEXT,
    "slackChannel" TEXT,
    "slackTs" TEXT,
    "sentAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "EscalationMessage_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "EscalationMessage_warningId_fkey" FOREIGN KEY ("warningId") REFERENCES "Warning" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "EscalationMessage_state_nextAttemptAt_idx" ON "EscalationMessage"("state", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "EscalationMessage_warningId_idx" ON "EscalationMessage"("warningId");
