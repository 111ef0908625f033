-- DropTable
DROP TABLE "Lease";
