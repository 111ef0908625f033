-- AlterTable
ALTER TABLE "Warning" ADD COLUMN     "lastErrorCode" TEXT;
