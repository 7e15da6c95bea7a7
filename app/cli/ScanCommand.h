#pragma once

#include "CommandStreams.h"
#include "ScanOptions.h"
#include "domain/ProbeResult.h"

#include <QStringList>

namespace certdash::cli {

// `certdash scan ARGS...`: probes every address of every target (from --targets, or else the
// stored inventory, whose results are then recorded in the history), writes the report, and
// returns the exit code (0 ok, 1 warning, 2 critical/expired/failed, 3 bad input).
// Runs a local event loop until the scan is done.
int runScan(const QStringList &arguments, const CommandStreams &streams);

// Results in report order: targets in input order, each target's addresses sorted.
void sortForReport(QList<QPair<int, ProbeResult>> &results);

// "[ 120/1000] 95.3 probes/s, about 9 s left" (pure, for the progress line).
QString progressLine(int done, int total, double elapsedSeconds);

// "endpoints 12: 1 expired, 2 warning, 9 ok" over the results' statuses, worst first.
QString summaryLine(const QList<ProbeResult> &results);

// The exit code for a set of results: that of the worst status (0 when there are none).
int exitCodeForResults(const QList<ProbeResult> &results);

} // namespace certdash::cli
