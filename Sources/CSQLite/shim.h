// The system SQLite (Debian: libsqlite3-dev), imported into Swift as the module CSQLite.
#ifndef CSQLITE_SHIM_H
#define CSQLITE_SHIM_H
#include <sqlite3.h>
#endif
