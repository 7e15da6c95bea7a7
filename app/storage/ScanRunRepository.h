#pragma once

#include <QDateTime>
#include <QString>

#include <optional>

namespace certdash {

class Database;

// One headless scan of a store's inventory (`certdash scan` without --targets, e.g. started by
// certdash-scan.timer), so that the window can say when the last one ran and how it ended.
struct ScanRun {
    // Timer: started with CERTDASH_SCHEDULED=1 (certdash-scan.service)
    enum class Trigger { Command, Timer };

    QDateTime startedAt; // UTC
    QDateTime finishedAt;
    Trigger trigger = Trigger::Command;
    int targets = 0;   // enabled targets probed
    int endpoints = 0; // results: one per target address
    // Targets with at least one address whose status or trust would make the exit code
    // non-zero: counted like `targets`, so that "12 targets, 2 need attention" adds up.
    int attention = 0;
    int exitCode = 0;  // the scan's: 0 ok, 1 warning, 2 critical/expired/failed

    bool operator==(const ScanRun &o) const {
        return startedAt == o.startedAt && finishedAt == o.finishedAt && trigger == o.trigger &&
               targets == o.targets && endpoints == o.endpoints && attention == o.attention &&
               exitCode == o.exitCode;
    }
};

// The scan_runs table (schema version 8): the newest kKept runs are kept.
class ScanRunRepository {
public:
    static constexpr int kKept = 100;

    explicit ScanRunRepository(Database &database);

    bool record(const ScanRun &run, QString *error);
    // The newest run; nullopt when none was recorded (or on error, with *error set).
    std::optional<ScanRun> latest(QString *error) const;

private:
    Database &m_database;
};

} // namespace certdash
