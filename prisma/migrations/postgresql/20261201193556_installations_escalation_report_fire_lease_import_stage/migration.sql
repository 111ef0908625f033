-- AlterTable
ALTER TABLE "Workspace" DROP COLUMN "installation",
ADD COLUMN     "escalation" TEXT NOT NULL DEFAULT '{}',
ADD COLUMN     "reportDay" TEXT NOT NULL DEFAULT 'monday',
ADD COLUMN     "reportTime" TEXT,
ADD COLUMN     "uninstalledAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Warning" ADD COLUMN     "acknowledgedAt" TIMESTAMP(3),
ADD COLUMN     "acknowledgedBy" TEXT,
ADD COLUMN     "escalateAt" TIMESTAMP(3),
ADD COLUMN     "escalatedAt" TIMESTAMP(3),
ADD COLUMN     "escalationEnded" TEXT,
ADD COLUMN     "escalationStep" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "PostedMessageWarning" ADD COLUMN     "renderedAck" TEXT,
ADD COLUMN     "renderedStep" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "SchedulerRun" ADD COLUMN     "heartbeatAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "ImportStage" (
    "id" SERIAL NOT NULL,
    "importId" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "network" TEXT NOT NULL,
    "nameKey" TEXT NOT NULL,
    "connectionId" INTEGER,
    "data" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ImportStage_pkey" PRIMARY KEY ("id")
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
    "refreshClaimedUntil" TIMESTAMP(3),
    "installerUserId" TEXT,
    "tokenType" TEXT NOT NULL DEFAULT 'bot',
    "installedAt" TIMESTAMP(3) NOT NULL,
    "uninstalledAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Installation_pkey" PRIMARY KEY ("enterpriseId","teamId")
);

-- CreateTable
CREATE TABLE "OAuthState" (
    "state" TEXT NOT NULL,
    "installOptions" TEXT NOT NULL DEFAULT '{}',
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OAuthState_pkey" PRIMARY KEY ("state")
);

-- CreateIndex
CREATE INDEX "ImportStage_importId_network_nameKey_idx" ON "ImportStage"("importId", "network", "nameKey");

-- CreateIndex
CREATE INDEX "ImportStage_connectionId_idx" ON "ImportStage"("connectionId");

-- CreateIndex
CREATE INDEX "Warning_state_escalateAt_idx" ON "Warning"("state", "escalateAt");

-- CreateIndex
CREATE INDEX "SchedulerRun_finishedAt_heartbeatAt_idx" ON "SchedulerRun"("finishedAt", "heartbeatAt");
