-- AlterTable
ALTER TABLE "Connection" ADD COLUMN     "dataAccessEnd" TEXT,
ADD COLUMN     "observedEnd" TEXT,
ADD COLUMN     "observedEndFrom" TEXT,
ADD COLUMN     "observedOn" TEXT;

-- Carry the introspected dates over from the observation (it was said for the current token cycle).
UPDATE "Connection" SET
    "observedEnd" = (SELECT o."expiresAt" FROM "ConnectionObservation" o WHERE o."connectionId" = "Connection"."id"),
    "observedEndFrom" = (SELECT o."expiresFrom" FROM "ConnectionObservation" o WHERE o."connectionId" = "Connection"."id"),
    "dataAccessEnd" = (SELECT o."dataAccessExpiresAt" FROM "ConnectionObservation" o WHERE o."connectionId" = "Connection"."id"),
    "observedOn" = COALESCE("lastRefreshedAt", "connectedAt")
WHERE "id" IN (SELECT "connectionId" FROM "ConnectionObservation" WHERE "expiresAt" IS NOT NULL OR "dataAccessExpiresAt" IS NOT NULL);

-- AlterTable
ALTER TABLE "ConnectionObservation" DROP COLUMN "dataAccessExpiresAt",
DROP COLUMN "expiresAt",
DROP COLUMN "expiresFrom";

-- CreateTable
CREATE TABLE "SourceOAuthState" (
    "state" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SourceOAuthState_pkey" PRIMARY KEY ("state")
);

-- AddForeignKey
ALTER TABLE "SourceOAuthState" ADD CONSTRAINT "SourceOAuthState_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
