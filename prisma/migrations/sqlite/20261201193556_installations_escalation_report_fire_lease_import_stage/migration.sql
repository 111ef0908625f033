-- AlterTable
ALTER TABLE "SchedulerRun" ADD COLUMN "heartbeatAt" DATETIME;

-- CreateTable
CREATE TABLE "ImportStage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "importId" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "network" TEXT NOT NULL,
    "nameKey" TEXT NOT NULL,
    "connectionId" INTEGER,
    "data" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Installation" (
    "enterpriseId" TEXT NOT NULL DEFAULT '',
    "teamId" TEXT NOT NULL DEFAULT '',
    "isEnterpriseInstall" BOOLEAN NOT NULL DEFAULT false,
    "teamName" TEXT,
    "enterpriseName" TEXT,
    "appId" TEXT,
    "botToken" TEXT,
    "botId" TEXT,
    "botUserId" TEXT,
    "botScopes" TEXT NOT NULL DEFAULT '',
    "botRefreshToken" TEXT,
    "botExpiresAt" INTEGER,
    "refreshClaimedUntil" DATETIME,
    "installerUserId" TEXT,
    "tokenType" TEXT NOT NULL DEFAULT 'bot',
    "installedAt" DATETIME NOT NULL,
    "uninstalledAt" DATETIME,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("enterpriseId", "teamId")
);

-- CreateTable
CREATE TABLE "OAuthState" (
    "state" TEXT NOT NULL PRIMARY KEY,
    "installOptions" TEXT NOT NULL DEFAULT '{}',
    "expiresAt" DATETIME NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Workspace" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT,
    "alertChannel" TEXT,
    "timeZone" TEXT NOT NULL DEFAULT 'UTC',
    "checkTime" TEXT NOT NULL DEFAULT '09:00',
    "reportDay" TEXT NOT NULL DEFAULT 'monday',
    "reportTime" TEXT,
    "policyOverrides" TEXT NOT NULL DEFAULT '{}',
    "outages" TEXT NOT NULL DEFAULT '{}',
    "uninstalledAt" DATETIME,
    "calendarSecret" TEXT,
    "escalation" TEXT NOT NULL DEFAULT '{}',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Workspace" ("alertChannel", "calendarSecret", "checkTime", "createdAt", "id", "name", "outages", "policyOverrides", "timeZone", "updatedAt") SELECT "alertChannel", "calendarSecret", "checkTime", "createdAt", "id", "name", "outages", "policyOverrides", "timeZone", "updatedAt" FROM "Workspace";
DROP TABLE "Workspace";
ALTER TABLE "new_Workspace" RENAME TO "Workspace";
CREATE UNIQUE INDEX "Workspace_calendarSecret_key" ON "Workspace"("calendarSecret");
CREATE TABLE "new_Warning" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspaceId" TEXT NOT NULL,
    "connectionId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "cycle" TEXT NOT NULL,
    "dedupKey" TEXT NOT NULL,
    "dueAt" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME,
    "lastError" TEXT,
    "claimedAt" DATETIME,
    "claimedBy" TEXT,
    "slackChannel" TEXT,
    "slackTs" TEXT,
    "postedAt" DATETIME,
    "snoozedUntil" DATETIME,
    "resolvedAt" DATETIME,
    "resolvedBy" TEXT,
    "escalationStep" INTEGER NOT NULL DEFAULT 0,
    "escalatedAt" DATETIME,
    "escalateAt" DATETIME,
    "escalationEnded" TEXT,
    "acknowledgedBy" TEXT,
    "acknowledgedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Warning_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Warning_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Warning" ("attempts", "claimedAt", "claimedBy", "connectionId", "createdAt", "cycle", "dedupKey", "dueAt", "id", "kind", "lastError", "nextAttemptAt", "postedAt", "resolvedAt", "resolvedBy", "severity", "slackChannel", "slackTs", "snoozedUntil", "stage", "state", "updatedAt", "workspaceId") SELECT "attempts", "claimedAt", "claimedBy", "connectionId", "createdAt", "cycle", "dedupKey", "dueAt", "id", "kind", "lastError", "nextAttemptAt", "postedAt", "resolvedAt", "resolvedBy", "severity", "slackChannel", "slackTs", "snoozedUntil", "stage", "state", "updatedAt", "workspaceId" FROM "Warning";
DROP TABLE "Warning";
ALTER TABLE "new_Warning" RENAME TO "Warning";
CREATE UNIQUE INDEX "Warning_dedupKey_key" ON "Warning"("dedupKey");
CREATE INDEX "Warning_workspaceId_state_idx" ON "Warning"("workspaceId", "state");
CREATE INDEX "Warning_connectionId_state_idx" ON "Warning"("connectionId", "state");
CREATE INDEX "Warning_state_nextAttemptAt_idx" ON "Warning"("state", "nextAttemptAt");
CREATE INDEX "Warning_state_escalateAt_idx" ON "Warning"("state", "escalateAt");
CREATE TABLE "new_PostedMessageWarning" (
    "messageId" INTEGER NOT NULL,
    "warningId" INTEGER NOT NULL,
    "renderedState" TEXT NOT NULL,
    "renderedStep" INTEGER NOT NULL DEFAULT 0,
    "renderedAck" TEXT,

    PRIMARY KEY ("messageId", "warningId"),
    CONSTRAINT "PostedMessageWarning_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "PostedMessage" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "PostedMessageWarning_warningId_fkey" FOREIGN KEY ("warningId") REFERENCES "Warning" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_PostedMessageWarning" ("messageId", "renderedState", "warningId") SELECT "messageId", "renderedState", "warningId" FROM "PostedMessageWarning";
DROP TABLE "PostedMessageWarning";
ALTER TABLE "new_PostedMessageWarning" RENAME TO "PostedMessageWarning";
CREATE INDEX "PostedMessageWarning_warningId_idx" ON "PostedMessageWarning"("warningId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "ImportStage_importId_network_nameKey_idx" ON "ImportStage"("importId", "network", "nameKey");

-- CreateIndex
CREATE INDEX "ImportStage_connectionId_idx" ON "ImportStage"("connectionId");

-- CreateIndex
CREATE INDEX "SchedulerRun_finishedAt_heartbeatAt_idx" ON "SchedulerRun"("finishedAt", "heartbeatAt");
