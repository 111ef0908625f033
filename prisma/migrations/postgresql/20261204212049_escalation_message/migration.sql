-- CreateTable
CREATE TABLE "EscalationMessage" (
    "id" SERIAL NOT NULL,
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
    "nextAttemptAt" TIMESTAMP(3),
    "lastError" TEXT,
    "lastErrorCode" TEXT,
    "claimedAt" TIMESTAMP(3),
    "claimedBy" TEXT,
    "slackChannel" TEXT,
    "slackTs" TEXT,
    "sentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EscalationMessage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "EscalationMessage_state_nextAttemptAt_idx" ON "EscalationMessage"("state", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "EscalationMessage_warningId_idx" ON "EscalationMessage"("warningId");

-- AddForeignKey
ALTER TABLE "EscalationMessage" ADD CONSTRAINT "EscalationMessage_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EscalationMessage" ADD CONSTRAINT "EscalationMessage_warningId_fkey" FOREIGN KEY ("warningId") REFERENCES "Warning"("id") ON DELETE CASCADE ON UPDATE CASCADE;
