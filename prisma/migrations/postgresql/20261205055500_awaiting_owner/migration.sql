-- AlterTable
ALTER TABLE "Connection" ADD COLUMN     "awaitingOwner" BOOLEAN NOT NULL DEFAULT false;
