-- CreateTable
CREATE TABLE "Source" (
    "workspaceId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "refreshSecret" TEXT,
    "clientId" TEXT,
    "lastSyncAt" DATETIME,
    "lastSyncOk" BOOLEAN,
    "counts" TEXT NOT NULL DEFAULT '{}',
    "lastError" TEXT,
    "needsCredential" BOOLEAN NOT NULL DEFAULT false,
    "credentialNoticeAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("workspaceId", "kind"),
    CONSTRAINT "Source_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ConnectionObservation" (
    "connectionId" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspaceId" TEXT NOT NULL,
    "source" TEXT,
    "externalId" TEXT,
    "introspectionToken" TEXT,
    "observedState" TEXT,
    "observedReason" TEXT,
    "observedAt" DATETIME,
    "expiresAt" TEXT,
    "expiresFrom" TEXT,
    "dataAccessExpiresAt" TEXT,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ConnectionObservation_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "ConnectionObservation_workspaceId_source_externalId_key" ON "ConnectionObservation"("workspaceId", "source", "externalId");
