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

-- CreateIndex
CREATE INDEX "ImportStage_importId_network_nameKey_idx" ON "ImportStage"("importId", "network", "nameKey");

-- CreateIndex
CREATE INDEX "ImportStage_connectionId_idx" ON "ImportStage"("connectionId");
