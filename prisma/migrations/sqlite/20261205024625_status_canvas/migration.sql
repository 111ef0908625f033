-- CreateTable
CREATE TABLE "StatusCanvas" (
    "workspaceId" TEXT NOT NULL PRIMARY KEY,
    "channelId" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'none',
    "canvasId" TEXT,
    "sectionIds" TEXT NOT NULL DEFAULT '{}',
    "contentHash" TEXT,
    "editedAt" DATETIME,
    "claimedBy" TEXT,
    "claimedUntil" DATETIME,
    "problem" TEXT,
    "noticeAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "StatusCanvas_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
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
    "statusCanvas" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Workspace" ("alertChannel", "calendarSecret", "checkTime", "createdAt", "escalation", "id", "name", "outages", "policyOverrides", "reportDay", "reportTime", "timeZone", "uninstalledAt", "updatedAt") SELECT "alertChannel", "calendarSecret", "checkTime", "createdAt", "escalation", "id", "name", "outages", "policyOverrides", "reportDay", "reportTime", "timeZone", "uninstalledAt", "updatedAt" FROM "Workspace";
DROP TABLE "Workspace";
ALTER TABLE "new_Workspace" RENAME TO "Workspace";
CREATE UNIQUE INDEX "Workspace_calendarSecret_key" ON "Workspace"("calendarSecret");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
