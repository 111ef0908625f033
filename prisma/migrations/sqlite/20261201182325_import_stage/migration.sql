-- CreateTable
CREATE TABLE "ImportStage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "importId" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "network" TEXT NOT NULL,
    "nameKey" TEXT NOT NULL,
    "connectionId" INTEGER,
    "data" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "ImportStage_importId_network_nameKey_idx" ON "ImportStage"("importId", "network", "nameKey");

-- CreateIndex
CREATE INDEX "ImportStage_connectionId_idx" ON "ImportStage"("connectionId");
