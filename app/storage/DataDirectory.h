#pragma once

#include <QString>

namespace certdash {

// Where the store (certdash.sqlite) and the event log (events.jsonl) live: one folder named after
// the application in the user's data directory, ~/.local/share/CertDash on Linux.
//
// Versions up to 0.1.0 used Qt's AppDataLocation, which adds the organisation name as well
// (~/.local/share/CertDash/CertDash). The files there are moved up once by
// moveLegacyDataDirectory(); until they can be (another process has the store open), the old
// folder keeps being used, so a window and a cron scan never split across two stores.
QString dataDirectory();

// The outcome of moving the old folder's files, for the caller to log.
struct LegacyMove {
    enum class Result { NothingToMove, Moved, InUse, Failed };
    Result result = Result::NothingToMove;
    QString from; // the old folder
    QString detail; // what failed, when Failed
};

// Moves certdash.sqlite (with its -wal journal) and events.jsonl from the old folder to
// dataDirectory() when the new folder has no store yet and no process has the old one open
// (SQLite keeps a -shm file while a connection in WAL mode is open). Called once at start-up.
LegacyMove moveLegacyDataDirectory();

} // namespace certdash
