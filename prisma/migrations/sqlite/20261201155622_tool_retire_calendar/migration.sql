-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN "calendarSecret" TEXT;

-- AlterTable
ALTER TABLE "Member" ADD COLUMN "calendarSecret" TEXT;

-- AlterTable
ALTER TABLE "Connection" ADD COLUMN "retiredAt" DATETIME;
ALTER TABLE "Connection" ADD COLUMN "tool" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Workspace_calendarSecret_key" ON "Workspace"("calendarSecret");

-- CreateIndex
CREATE UNIQUE INDEX "Member_calendarSecret_key" ON "Member"("calendarSecret");
