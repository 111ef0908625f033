-- CreateTable
CREATE TABLE "ConnectionHealth" (
    "connectionId" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspaceId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "policyKey" TEXT NOT NULL,
    "ownerGone" BOOLEAN NOT NULL,
    "backupCount" INTEGER NOT NULL,
    "judgedUpdate" DATETIME NOT NULL,
    "worse" INTEGER NOT NULL,
    "health" TEXT NOT NULL,
    "urgentDate" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "overdue" BOOLEAN NOT NULL,
    "soonest" TEXT,
    CONSTRAINT "ConnectionHealth_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "ConnectionHealth_workspaceId_worse_urgentDate_name_connectionId_idx" ON "ConnectionHealth"("workspaceId", "worse", "urgentDate", "name", "connectionId");
