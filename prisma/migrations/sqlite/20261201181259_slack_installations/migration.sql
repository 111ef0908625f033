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
    "policyOverrides" TEXT NOT NULL DEFAULT '{}',
    "outages" TEXT NOT NULL DEFAULT '{}',
    "uninstalledAt" DATETIME,
    "calendarSecret" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Workspace" ("alertChannel", "calendarSecret", "checkTime", "createdAt", "id", "name", "outages", "policyOverrides", "timeZone", "updatedAt") SELECT "alertChannel", "calendarSecret", "checkTime", "createdAt", "id", "name", "outages", "policyOverrides", "timeZone", "updatedAt" FROM "Workspace";
DROP TABLE "Workspace";
ALTER TABLE "new_Workspace" RENAME TO "Workspace";
CREATE UNIQUE INDEX "Workspace_calendarSecret_key" ON "Workspace"("calendarSecret");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
