-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "reportDay" TEXT NOT NULL DEFAULT 'monday',
ADD COLUMN     "reportTime" TEXT;
