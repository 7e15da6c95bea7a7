#include "ScanController.h"

#include "probing/ProbeScheduler.h"
#include "storage/Database.h"
#include "storage/HistoryRepository.h"

#include <QThread>

namespace certdash {

// Owns the scheduler inside the worker thread; talks to the controller only through signals.
class ScanWorker : public QObject
{
    Q_OBJECT
public:
    void run(const ProbeOptions &options, int concurrency, const QList<Target> &targets)
    {
        delete m_scheduler;
        m_scheduler = new ProbeScheduler(options, this);
        m_scheduler->setConcurrency(concurrency);
        connect(m_scheduler, &ProbeScheduler::resultReady, this,
                [this](int, const ProbeResult &result) { emit resultReady(result); });
        connect(m_scheduler, &ProbeScheduler::progress, this, &ScanWorker::progress);
        connect(m_scheduler, &ProbeScheduler::finished, this, &ScanWorker::finished);
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

signals:
    void resultReady(const certdash::ProbeResult &result);
    void progress(int done, int expected);
    void finished();

private:
    ProbeScheduler *m_scheduler = nullptr;
};

ScanController::ScanController(Database &database, QObject *parent)
    : QObject(parent)
    , m_database(database)
    , m_thread(new QThread(this))
    , m_worker(new ScanWorker)
{
    qRegisterMetaType<certdash::ProbeResult>();
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(kBatchDelayMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &ScanController::flush);

    m_thread->setObjectName(QStringLiteral("certdash-probes"));
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &ScanWorker::resultReady, this, [this](const ProbeResult &result) {
        if (!m_running)
            return; // a straggler after cancel
        m_pending << result;
        emit resultReady(result);
        if (m_pending.size() >= kBatchSize)
            flush();
        else if (!m_flushTimer.isActive())
            m_flushTimer.start();
    });
    connect(m_worker, &ScanWorker::progress, this, &ScanController::progress);
    connect(m_worker, &ScanWorker::finished, this, &ScanController::onSchedulerFinished);
    m_thread->start();
}

ScanController::~ScanController()
{
    QMetaObject::invokeMethod(m_worker, &ScanWorker::cancel, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    flush();
}

bool ScanController::start(const QList<Target> &targets)
{
    if (m_running)
        return false;
    m_running = true;
    m_cancelled = false;
    const ProbeOptions options = m_options;
    const int concurrency = m_concurrency;
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, options, concurrency, targets] {
        worker->run(options, concurrency, targets);
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

void ScanController::flush()
{
    m_flushTimer.stop();
    if (m_pending.isEmpty())
        return;
    QString error;
    if (!HistoryRepository(m_database).record(m_pending, &error))
        emit storageError(error);
    m_pending.clear();
}

void ScanController::onSchedulerFinished()
{
    if (!m_running)
        return;
    flush();
    m_running = false;
    emit finished(m_cancelled);
}

} // namespace certdash

#include "ScanController.moc"
