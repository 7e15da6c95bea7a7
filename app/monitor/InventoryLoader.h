#pragma once

#include "domain/ExpiryPolicy.h"
#include "domain/ProbeResult.h"
#include "domain/Target.h"
#include "inventory/TargetParser.h"
#include "storage/ChangeFeed.h"
#include "storage/ScanRunRepository.h"
#include "storage/TargetRepository.h"

#include <QObject>
#include <QString>

#include <any>
#include <atomic>
#include <functional>
#include <memory>

namespace certdash {

// One read of the store: the inventory and the latest result of every target address, from one
// read transaction (a scan that commits meanwhile is either wholly in it or not at all).
struct InventorySnapshot {
    quint64 generation = 0; // InventoryLoader::load()'s return value
    QList<Target> targets;
    QList<ProbeResult> latest; // CertificateDetail::Summary
    std::optional<ScanRun> lastScanRun; // the newest headless `certdash scan` of the store
    QString error;             // "" when both reads succeeded
    qint64 elapsedMs = 0;      // reading and preparing, in the worker
    class QThread *readIn = nullptr; // the thread that read it: the loader's, never the caller's
    std::any prepared;         // what the Prepare hook built from targets and latest
};

// What importing one file did; exactly one of readError, issues (nothing imported), error (the
// store refused the import) or summary says how it went.
struct ImportOutcome {
    QString path;
    QString readError;
    QList<ParseIssue> issues;  // the first ones (ParsedTargets::issues)
    qsizetype moreIssues = 0;  // problems after those
    QString formatNote;        // ParsedTargets::formatNote
    QStringList notes;         // ParsedTargets::notes: what was left out on purpose, and why
    QString error;
    std::optional<ImportSummary> summary;
};

// Reads the store for a long-lived process (the dashboard) in a worker thread with a connection
// of its own (QtSql connections belong to one thread; WAL lets it read while the caller's
// connection writes), so that loading 100,000 target addresses (over a second) never stalls the
// caller's event loop. Results come back as signals on the caller's thread.
class InventoryLoader : public QObject {
    Q_OBJECT
public:
    // Runs in the worker after each load: whatever the caller wants built from the snapshot off
    // its own thread (the dashboard builds its table rows). It may move targets and latest out.
    using Prepare = std::function<std::any(InventorySnapshot &snapshot)>;

    InventoryLoader(const QString &databasePath, QObject *parent = nullptr);
    ~InventoryLoader() override; // waits for a load in progress

    void setPrepare(Prepare prepare) { m_prepare = std::move(prepare); }

    // Starts a load and returns its generation. A newer load supersedes older ones: only the
    // newest is delivered through loaded().
    quint64 load();
    bool isLoading() const { return m_delivered != m_requested; }

    // Reads the enabled targets with thresholds inherited through tags resolved against global,
    // for a probe of everything; delivered through probeTargetsLoaded().
    void loadProbeTargets(const ExpiryPolicy &global);

    // Reads, parses and imports a target file (one transaction, stamped with now) with the
    // worker's connection, so that a 100,000-line import (seconds) never stalls the caller's
    // event loop; delivered through imported(). Meanwhile the caller's own writes to the store
    // wait for the import's transaction (up to the store's busy timeout).
    void importFile(const QString &path, const QDateTime &now);

    // Watches the store for what other connections commit (another process: a cron scan, an
    // import; or the caller's own other connections): every intervalMs the worker asks its
    // connection for PRAGMA data_version, a cheap read that changes only when another connection
    // has committed, and storeChanged() says so once per change. A load counts as having seen
    // the version it read, so only commits that no load has read yet are reported. 0 stops.
    void watch(int intervalMs);

    // Reads what changed in the store in [since, until) (storage/ChangeFeed; a null until is
    // open), judging rotation with defaultRotationDays too; delivered through changesLoaded()
    // with the generation returned here, so that a caller keeps only its newest request.
    quint64 loadChanges(const QDateTime &since, const QDateTime &until,
                        std::optional<int> defaultRotationDays);

    // Destroys something large (the rows a table just replaced) in the worker thread instead of
    // the caller's: freeing 100,000 results takes tens of milliseconds.
    void dispose(std::any garbage);

signals:
    void loaded(const std::shared_ptr<certdash::InventorySnapshot> &snapshot);
    void probeTargetsLoaded(const QList<certdash::Target> &targets, const QString &error);
    void imported(const certdash::ImportOutcome &outcome);
    void changesLoaded(quint64 generation, const QList<certdash::Change> &changes,
                       const QString &error);
    // Another connection committed since the last load or the last storeChanged().
    void storeChanged();

private:
    class QThread *m_thread;
    class InventoryWorker *m_worker; // lives in m_thread
    Prepare m_prepare;
    quint64 m_requested = 0;
    quint64 m_delivered = 0;
    quint64 m_changesRequested = 0;
    // Read by the worker to skip loads that a newer request already superseded.
    std::shared_ptr<std::atomic<quint64>> m_newest;
};

} // namespace certdash
