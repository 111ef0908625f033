-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Connection" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspaceId" TEXT NOT NULL,
    "network" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "nameKey" TEXT NOT NULL,
    "url" TEXT,
    "ownerId" TEXT,
    "connectedAt" TEXT NOT NULL,
    "lastRefreshedAt" TEXT,
    "ownerLastActiveAt" TEXT,
    "status" TEXT NOT NULL DEFAULT 'connected',
    "disconnectReason" TEXT,
    "disconnectedAt" TEXT,
    "sharedLogin" BOOLEAN,
    "twoFactor" BOOLEAN,
    "ownerSuperAdmin" BOOLEAN,
    "permissionsGranted" BOOLEAN,
    "notes" TEXT,
    "tool" TEXT,
    "archivedAt" DATETIME,
    "retiredAt" DATETIME,
    "observedEnd" TEXT,
    "observedEndFrom" TEXT,
    "observedOn" TEXT,
    "dataAccessEnd" TEXT,
    "awaitingOwner" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Connection_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Connection" ("archivedAt", "connectedAt", "createdAt", "dataAccessEnd", "disconnectReason", "disconnectedAt", "id", "kind", "lastRefreshedAt", "name", "nameKey", "network", "notes", "observedEnd", "observedEndFrom", "observedOn", "ownerId", "ownerLastActiveAt", "ownerSuperAdmin", "permissionsGranted", "retiredAt", "sharedLogin", "status", "tool", "twoFactor", "updatedAt", "url", "workspaceId") SELECT "archivedAt", "connectedAt", "createdAt", "dataAccessEnd", "disconnectReason", "disconnectedAt", "id", "kind", "lastRefreshedAt", "name", "nameKey", "network", "notes", "observedEnd", "observedEndFrom", "observedOn", "ownerId", "ownerLastActiveAt", "ownerSuperAdmin", "permissionsGranted", "retiredAt", "sharedLogin", "status", "tool", "twoFactor", "updatedAt", "url", "workspaceId" FROM "Connection";
DROP TABLE "Connection";
ALTER TABLE "new_Connection" RENAME TO "Connection";
CREATE INDEX "Connection_workspaceId_archivedAt_idx" ON "Connection"("workspaceId", "archivedAt");
CREATE INDEX "Connection_workspaceId_ownerId_idx" ON "Connection"("workspaceId", "ownerId");
CREATE UNIQUE INDEX "Connection_workspaceId_network_nameKey_key" ON "Connection"("workspaceId", "network", "nameKey");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
