-- CreateTable
CREATE TABLE "Source" (
    "workspaceId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "refreshSecret" TEXT,
    "clientId" TEXT,
    "lastSyncAt" TIMESTAMP(3),
    "lastSyncOk" BOOLEAN,
    "counts" TEXT NOT NULL DEFAULT '{}',
    "lastError" TEXT,
    "needsCredential" BOOLEAN NOT NULL DEFAULT false,
    "credentialNoticeAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Source_pkey" PRIMARY KEY ("workspaceId","kind")
);

-- CreateTable
CREATE TABLE "ConnectionObservation" (
    "connectionId" INTEGER NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "source" TEXT,
    "externalId" TEXT,
    "introspectionToken" TEXT,
    "observedState" TEXT,
    "observedReason" TEXT,
    "observedAt" TIMESTAMP(3),
    "expiresAt" TEXT,
    "expiresFrom" TEXT,
    "dataAccessExpiresAt" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ConnectionObservation_pkey" PRIMARY KEY ("connectionId")
);

-- CreateIndex
CREATE UNIQUE INDEX "ConnectionObservation_workspaceId_source_externalId_key" ON "ConnectionObservation"("workspaceId", "source", "externalId");

-- AddForeignKey
ALTER TABLE "Source" ADD CONSTRAINT "Source_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConnectionObservation" ADD CONSTRAINT "ConnectionObservation_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection"("id") ON DELETE CASCADE ON UPDATE CASCADE;
