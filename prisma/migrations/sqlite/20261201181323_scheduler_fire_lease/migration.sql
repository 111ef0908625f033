-- AlterTable
ALTER TABLE "SchedulerRun" ADD COLUMN "heartbeatAt" DATETIME;

-- CreateIndex
CREATE INDEX "SchedulerRun_finishedAt_heartbeatAt_idx" ON "SchedulerRun"("finishedAt", "heartbeatAt");
