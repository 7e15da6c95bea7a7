#pragma once

#include "domain/ProbeResult.h"
#include "probing/ProbeOptions.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

#include <memory>

namespace certdash {

class Database;
class SecretStore;
class ProbeScheduler;

// Runs scans of stored targets for a long-lived process (the dashboard): probes through the same
// scheduler as the CLI, but in a worker thread of its own, so that TLS handshakes never stall the
// caller's (the UI's) event loop; records results in the store's history in small batches in that
// thread too, through a connection of its own (a batch of 24 costs tens of milliseconds: never on
// the UI thread), and reports progress. One scan at a time; Cancel stops it and keeps what was
// already recorded.
class ScanController : public QObject
{
    Q_OBJECT
public:
    ScanController(Database &database, QObject *parent = nullptr);
    ~ScanController() override;

    // Options without a resolver keep the controller's own: one for every scan, so that its
    // cache (a minute) spans scans.
    void setProbeOptions(const ProbeOptions &options);
    const ProbeOptions &probeOptions() const { return m_options; }
    void setConcurrency(int concurrency) { m_concurrency = concurrency; }
    // The client certificate presented to targets that name none themselves (nor their tags):
    // Settings > Connection. Its proxy part is not used here (ProbeOptions::proxy holds it).
    void setDefaultConnection(const ConnectionSettings &connection) { m_defaultConnection = connection; }

    // Starts probing these targets (each must have an id). False when a scan is already running.
    bool start(const QList<Target> &targets);
    void cancel();
    bool isRunning() const { return m_running; }
    // Results reported through resultReady() but not yet written to the store.
    const QList<ProbeResult> &unsaved() const { return m_unsaved; }

    // Results are written in batches of this many, or after this long, whichever comes first.
    static constexpr int kBatchSize = 24;
    static constexpr int kBatchDelayMs = 250;

signals:
    void resultReady(const certdash::ProbeResult &result);
    void progress(int done, int expected);
    // A write to the store failed: the results are still shown but not kept.
    void storageError(const QString &message);
    // A target's proxy or client certificate could not be prepared (a password or passphrase
    // missing, a file unreadable): nothing was probed, rather than probing it the wrong way.
    void preparationFailed(const QStringList &problems);
    // cancelled: stopped by cancel(); results so far are recorded.
    void finished(bool cancelled);

private:
    void onSchedulerFinished();

    ProbeOptions m_options;
    std::shared_ptr<SecretStore> m_secrets; // the OS keychain
    ConnectionSettings m_defaultConnection;
    int m_concurrency = 32;
    bool m_running = false;
    class QThread *m_thread;
    class ScanWorker *m_worker; // lives in m_thread
    QList<ProbeResult> m_unsaved; // reported, not yet confirmed written by the worker
    bool m_cancelled = false;
};

} // namespace certdash
