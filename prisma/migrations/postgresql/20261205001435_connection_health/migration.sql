-- CreateTable
CREATE TABLE "ConnectionHealth" (
    "connectionId" INTEGER NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "policyKey" TEXT NOT NULL,
    "ownerGone" BOOLEAN NOT NULL,
    "backupCount" INTEGER NOT NULL,
    "judgedUpdate" TIMESTAMP(3) NOT NULL,
    "worse" INTEGER NOT NULL,
    "health" TEXT NOT NULL,
    "urgentDate" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "overdue" BOOLEAN NOT NULL,
    "soonest" TEXT,

    CONSTRAINT "ConnectionHealth_pkey" PRIMARY KEY ("connectionId")
);

-- CreateIndex
CREATE INDEX "ConnectionHealth_workspaceId_worse_urgentDate_name_connecti_idx" ON "ConnectionHealth"("workspaceId", "worse", "urgentDate", "name", "connectionId");

-- AddForeignKey
ALTER TABLE "ConnectionHealth" ADD CONSTRAINT "ConnectionHealth_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection"("id") ON DELETE CASCADE ON UPDATE CASCADE;
