#pragma once

#include "CommandStreams.h"
#include "ScanOptions.h"
#include "reports/ReportStream.h"

#include <QString>

#include <functional>
#include <map>
#include <memory>
#include <utility>
#include <vector>

class QSaveFile;

namespace certdash::cli {

// Puts report rows that arrive in completion order into report order: targets in input order,
// each target's addresses sorted (what sortForReport does to whole results). A row waits only
// while a target before it is still being probed; a target is complete once it has one row per
// address of its round.
class ReportOrder
{
public:
    using Emit = std::function<void(const ReportStream::Row &)>;
    explicit ReportOrder(Emit sink);

    // index: the target's position in the scan; rowsOfTarget: how many rows it will have.
    void add(int index, const QString &address, int rowsOfTarget, ReportStream::Row row);
    // Emits whatever still waits, in order (targets that never completed, if any).
    void finish();
    qsizetype waiting() const { return m_waiting; }

private:
    struct Pending
    {
        int expected = 1;
        std::vector<std::pair<QString, ReportStream::Row>> rows; // in arrival order
    };
    void emitTarget(Pending &target);

    Emit m_emit;
    int m_next = 0; // the first target not emitted yet
    std::map<int, Pending> m_pending;
    qsizetype m_waiting = 0;
};

// The report of a running scan: each result is rendered into its row when it arrives (the
// caller can then drop it) and written when its turn in report order comes.
// - With --output the rows go into the QSaveFile, committed by finish(): readers never see a
//   half report, and an existing file stays as it was when the scan cannot write.
// - On stdout they go out as they come when stdout never blocks (a regular file, or a buffer in
//   tests), so `certdash scan ... > report.csv` fills while it runs. A pipe or a terminal gets
//   the report at the end, as before: a reader that stops reading must not stall the probes, and
//   the rows must not mix with the progress line. It waits in a spool, not in memory.
class ScanReport
{
public:
    ScanReport(const ScanOptions &options, const CommandStreams &streams);
    ~ScanReport();
    ScanReport(const ScanReport &) = delete;
    ScanReport &operator=(const ScanReport &) = delete;

    void add(int index, const ProbeResult &result);
    // Writes what waited and commits the --output file. False (after saying why on err) when the
    // report could not be written.
    bool finish(const QDateTime &generatedAt);
    // Rows rendered but not yet written because an earlier target is still being probed.
    qsizetype waiting() const { return m_order.waiting(); }

private:
    CommandStreams m_streams;
    QString m_outputPath;
    std::unique_ptr<QSaveFile> m_file;
    QString m_error; // set when --output could not be opened: rows are then not rendered
    std::unique_ptr<ReportStream> m_stream;
    ReportOrder m_order;
    bool m_flushRows = false; // stdout: push each batch of rows out of the stdio buffer
};

// Whether writes to device can never wait for a reader: a buffer or a regular file.
bool writesNeverBlock(QIODevice *device);

} // namespace certdash::cli
