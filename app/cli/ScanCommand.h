#pragma once

#include "CommandStreams.h"
#include "ScanOptions.h"
#include "alerts/AlertService.h"
#include "domain/ProbeResult.h"

#include <QMap>
#include <QSet>
#include <QPair>
#include <QStringList>

namespace certdash::cli {

// `certdash scan ARGS...`: probes every address of every target (from --targets, or else the
// stored inventory, whose results are then recorded in the history), writes the report, and
// returns the exit code (0 ok, 1 warning, 2 critical/expired/failed, 3 bad input).
// Runs a local event loop until the scan is done.
// A scan of the stored inventory also runs the alert tracker: its state is kept in the store,
// new crossings go to the event log and, with --notify, to the desktop.
int runScan(const QStringList &arguments, const CommandStreams &streams);
// The same, delivering --notify through `notify` (tests, or another delivery); an empty sink
// means there is no way to reach the desktop, which --notify then says.
int runScan(const QStringList &arguments, const CommandStreams &streams,
            const NotificationSink &notify);

// Where `certdash scan --notify` delivers by default: the desktop notification service on the
// session bus. Empty when there is none.
NotificationSink desktopNotificationSink();

// Results in report order: targets in input order, each target's addresses sorted.
void sortForReport(QList<QPair<int, ProbeResult>> &results);

// "[ 120/1000] 95.3 probes/s, about 9 s left" (pure, for the progress line).
QString progressLine(int done, int total, double elapsedSeconds);

// What the stderr summary and the exit code need from a scan, counted as results arrive, so that
// the results themselves need not be kept.
class ScanTally
{
public:
    void add(const ProbeResult &result);
    int count() const { return m_count; }
    // Results whose status or trust level alone would make the exit code non-zero.
    int attention() const { return m_attention; }
    // Targets (by endpoint key) with at least one such result.
    int targetsNeedingAttention() const { return int(m_targetsNeedingAttention.size()); }
    // "endpoints 12: 1 expired, 2 warning, 9 ok" over the statuses, worst first.
    QString summaryLine() const;
    // The worse of the worst status's (exitCodeFor) and the worst trust level's
    // (exitCodeForTrust); 0 when there are none.
    int exitCode() const;

private:
    QMap<int, QPair<Status, int>> m_byRank; // severityRank -> (status, count)
    int m_count = 0;
    int m_attention = 0;
    QSet<QString> m_targetsNeedingAttention;
    Status m_worst = Status::Ok;
    TrustLevel m_worstTrust = TrustLevel::Trusted;
};

// "endpoints 12: 1 expired, 2 warning, 9 ok" over the results' statuses, worst first.
QString summaryLine(const QList<ProbeResult> &results);

// The exit code for a set of results: the worse of the worst status's (exitCodeFor) and the
// worst trust level's (exitCodeForTrust); 0 when there are none.
int exitCodeForResults(const QList<ProbeResult> &results);

} // namespace certdash::cli
