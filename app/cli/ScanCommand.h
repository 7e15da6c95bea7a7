#pragma once

#include "ScanOptions.h"
#include "domain/Clock.h"
#include "domain/ProbeResult.h"

#include <QIODevice>
#include <QStringList>

#include <memory>

namespace certdash::cli {

// Where a command reads and writes: the real process streams in main(), buffers in tests.
struct CommandStreams
{
    QIODevice *out = nullptr; // the report when there is no --output
    QIODevice *err = nullptr; // messages, progress and the summary
    bool errIsTerminal = false; // progress is only drawn on a terminal
    std::shared_ptr<const Clock> clock = std::make_shared<SystemClock>();
};

// `certdash scan ARGS...`: reads targets, probes every address of every target, writes the
// report, and returns the exit code (0 ok, 1 warning, 2 critical/expired/failed, 3 bad input).
// Runs a local event loop until the scan is done.
int runScan(const QStringList &arguments, const CommandStreams &streams);

// Results in report order: targets in input order, each target's addresses sorted.
void sortForReport(QList<QPair<int, ProbeResult>> &results);

// "[ 120/1000] 95.3 probes/s, about 9 s left" (pure, for the progress line).
QString progressLine(int done, int total, double elapsedSeconds);

// "endpoints 12: 1 expired, 2 warning, 9 ok" over the results' statuses, worst first.
QString summaryLine(const QList<ProbeResult> &results);

} // namespace certdash::cli
