-- AlterTable
ALTER TABLE "Workspace" DROP COLUMN "installation",
ADD COLUMN     "uninstalledAt" TIMESTAMP(3);

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
