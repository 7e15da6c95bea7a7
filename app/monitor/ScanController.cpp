#include "ScanController.h"

#include "secrets/KeychainSecretStore.h"

#include "probing/HostResolver.h"
#include "probing/ProbeScheduler.h"
#include "storage/Database.h"
#include "storage/HistoryRepository.h"

#include <QThread>
#include <QTimer>

namespace certdash {

// Owns the scheduler and its own store connection inside the worker thread; talks to the
// controller only through signals.
class ScanWorker : public QObject
{
    Q_OBJECT
public:
    explicit ScanWorker(QString databasePath)
        : m_path(std::move(databasePath))
    {
        m_flushTimer.setSingleShot(true);
        m_flushTimer.setInterval(ScanController::kBatchDelayMs);
        connect(&m_flushTimer, &QTimer::timeout, this, &ScanWorker::flush);
    }

    void run(const ProbeOptions &options, int concurrency, const QList<Target> &targets)
    {
        delete m_scheduler;
        m_scheduler = new ProbeScheduler(options, this);
        m_scheduler->setConcurrency(concurrency);
        connect(m_scheduler, &ProbeScheduler::resultReady, this,
                [this](int, const ProbeResult &result) {
                    emit resultReady(result);
                    m_pending << result;
                    if (m_pending.size() >= ScanController::kBatchSize)
                        flush();
                    else if (!m_flushTimer.isActive())
                        m_flushTimer.start();
                });
        connect(m_scheduler, &ProbeScheduler::progress, this, &ScanWorker::progress);
        connect(m_scheduler, &ProbeScheduler::finished, this, [this] {
            flush(); // everything is stored before the scan is said to be over
            emit finished();
        });
        if (targets.isEmpty())
            emit finished();
        else
            m_scheduler->enqueue(targets);
    }
    void cancel()
    {
        if (m_scheduler && m_scheduler->isRunning())
            m_scheduler->cancel(); // emits finished
    }
    void flush()
    {
        m_flushTimer.stop();
        if (m_pending.isEmpty())
            return;
        QString error;
        if (!m_database)
            m_database = Database::open(m_path, &error);
        if (!m_database || !HistoryRepository(*m_database).record(m_pending, &error))
            emit storageError(error);
        emit written(int(m_pending.size()));
        m_pending.clear();
    }

signals:
    void resultReady(const certdash::ProbeResult &result);
    // The next `count` results reported are in the store now (or failed: storageError first).
    void written(int count);
    void storageError(const QString &message);
    void progress(int done, int expected);
    void finished();

private:
    QString m_path;
    std::unique_ptr<Database> m_database; // opened in this thread, on first write
    ProbeScheduler *m_scheduler = nullptr;
    QList<ProbeResult> m_pending;
    QTimer m_flushTimer{this}; // a child, so that it moves to the worker thread too
};

ScanController::ScanController(Database &database, QObject *parent)
    : QObject(parent)
    , m_thread(new QThread(this))
    , m_worker(new ScanWorker(database.path()))
{
    qRegisterMetaType<certdash::ProbeResult>();
    m_options.resolver = std::make_shared<SystemResolver>();

    m_thread->setObjectName(QStringLiteral("certdash-probes"));
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &ScanWorker::resultReady, this, [this](const ProbeResult &result) {
        if (!m_running)
            return; // a straggler after cancel
        m_unsaved << result;
        emit resultReady(result);
    });
    connect(m_worker, &ScanWorker::written, this,
            [this](int count) { m_unsaved.remove(0, std::min<qsizetype>(count, m_unsaved.size())); });
    connect(m_worker, &ScanWorker::storageError, this, &ScanController::storageError);
    connect(m_worker, &ScanWorker::progress, this, &ScanController::progress);
    connect(m_worker, &ScanWorker::finished, this, &ScanController::onSchedulerFinished);
    m_thread->start();
}

ScanController::~ScanController()
{
    // Stops probing and writes what was already probed, in the worker's thread.
    QMetaObject::invokeMethod(
        m_worker,
        [worker = m_worker] {
            worker->cancel();
            worker->flush();
        },
        Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
}

void ScanController::setProbeOptions(const ProbeOptions &options)
{
    const std::shared_ptr<HostResolver> resolver = m_options.resolver;
    m_options = options;
    if (!m_options.resolver)
        m_options.resolver = resolver;
}

bool ScanController::start(const QList<Target> &targets)
{
    if (m_running)
        return false;
    // What targets name for themselves (proxies, client certificates), once per scan, with
    // their secrets from the keychain. Asked only when a target needs one.
    ProbeOptions options = m_options;
    if (!m_secrets)
        m_secrets = std::make_shared<KeychainSecretStore>();
    QList<Target> prepared = targets;
    if (m_defaultConnection.hasClientCertificate()) {
        for (Target &t : prepared) {
            if (t.connection.hasClientCertificate())
                continue;
            t.connection.clientCertificate = m_defaultConnection.clientCertificate;
            t.connection.clientKey = m_defaultConnection.clientKey;
        }
    }
    QStringList problems;
    if (options.proxy.server && options.proxy.server->password.isEmpty()) {
        if (const QString missing = attachProxyPassword(options.proxy, m_secrets.get());
            !missing.isEmpty())
            problems << missing;
    }
    problems += addTargetProxies(options.proxy, prepared, m_secrets.get());
    problems += addTargetIdentities(options, prepared, m_secrets.get());
    if (!problems.isEmpty()) {
        emit preparationFailed(problems);
        return false;
    }
    m_running = true;
    m_cancelled = false;
    const int concurrency = m_concurrency;
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, options, concurrency, prepared] {
        worker->run(options, concurrency, prepared);
    });
    return true;
}

void ScanController::cancel()
{
    if (!m_running)
        return;
    m_cancelled = true;
    QMetaObject::invokeMethod(m_worker, &ScanWorker::cancel);
}

void ScanController::onSchedulerFinished()
{
    if (!m_running)
        return;
    m_running = false;
    emit finished(m_cancelled);
}

} // namespace certdash

#include "ScanController.moc"
