-- DropTable
PRAGMA foreign_keys=off;
DROP TABLE "Lease";
PRAGMA foreign_keys=on;
