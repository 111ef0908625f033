-- AlterTable
ALTER TABLE "Connection" ADD COLUMN "dataAccessEnd" TEXT;
ALTER TABLE "Connection" ADD COLUMN "observedEnd" TEXT;
ALTER TABLE "Connection" ADD COLUMN "observedEndFrom" TEXT;
ALTER TABLE "Connection" ADD COLUMN "observedOn" TEXT;

-- Carry the introspected dates over from the observation (it was said for the current token cycle).
UPDATE "Connection" SET
    "observedEnd" = (SELECT o."expiresAt" FROM "ConnectionObservation" o WHERE o."connectionId" = "Connection"."id"),
    "observedEndFrom" = (SELECT o."expiresFrom" FROM "ConnectionObservation" o WHERE o."connectionId" = "Connection"."id"),
    "dataAccessEnd" = (SELECT o."dataAccessExpiresAt" FROM "ConnectionObservation" o WHERE o."connectionId" = "Connection"."id"),
    "observedOn" = COALESCE("lastRefreshedAt", "connectedAt")
WHERE "id" IN (SELECT "connectionId" FROM "ConnectionObservation" WHERE "expiresAt" IS NOT NULL OR "dataAccessExpiresAt" IS NOT NULL);

-- CreateTable
CREATE TABLE "SourceOAuthState" (
    "state" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SourceOAuthState_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ConnectionObservation" (
    "connectionId" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspaceId" TEXT NOT NULL,
    "source" TEXT,
    "externalId" TEXT,
    "introspectionToken" TEXT,
    "observedState" TEXT,
    "observedReason" TEXT,
    "observedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ConnectionObservation_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_ConnectionObservation" ("connectionId", "externalId", "introspectionToken", "observedAt", "observedReason", "observedState", "source", "updatedAt", "workspaceId") SELECT "connectionId", "externalId", "introspectionToken", "observedAt", "observedReason", "observedState", "source", "updatedAt", "workspaceId" FROM "ConnectionObservation";
DROP TABLE "ConnectionObservation";
ALTER TABLE "new_ConnectionObservation" RENAME TO "ConnectionObservation";
CREATE UNIQUE INDEX "ConnectionObservation_workspaceId_source_externalId_key" ON "ConnectionObservation"("workspaceId", "source", "externalId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
