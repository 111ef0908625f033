-- AlterTable
ALTER TABLE "SchedulerRun" ADD COLUMN     "heartbeatAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "SchedulerRun_finishedAt_heartbeatAt_idx" ON "SchedulerRun"("finishedAt", "heartbeatAt");
