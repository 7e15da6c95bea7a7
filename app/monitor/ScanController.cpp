#include "ScanController.h"

#include "probing/ProbeScheduler.h"
#include "storage/Database.h"
#include "storage/HistoryRepository.h"

namespace certdash {

ScanController::ScanController(Database &database, QObject *parent)
    : QObject(parent)
    , m_database(database)
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(kBatchDelayMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &ScanController::flush);
}

ScanController::~ScanController()
{
    if (m_scheduler) {
        m_scheduler->disconnect(this);
        delete m_scheduler;
        m_scheduler = nullptr;
    }
    flush();
}

bool ScanController::start(const QList<Target> &targets)
{
    if (m_scheduler)
        return false;
    m_cancelled = false;
    m_scheduler = new ProbeScheduler(m_options, this);
    m_scheduler->setConcurrency(m_concurrency);
    connect(m_scheduler, &ProbeScheduler::resultReady, this,
            [this](int, const ProbeResult &result) {
                m_pending << result;
                emit resultReady(result);
                if (m_pending.size() >= kBatchSize)
                    flush();
                else if (!m_flushTimer.isActive())
                    m_flushTimer.start();
            });
    connect(m_scheduler, &ProbeScheduler::progress, this, &ScanController::progress);
    connect(m_scheduler, &ProbeScheduler::finished, this, &ScanController::onSchedulerFinished);
    if (targets.isEmpty()) {
        QTimer::singleShot(0, this, &ScanController::onSchedulerFinished);
        return true;
    }
    m_scheduler->enqueue(targets);
    return true;
}

void ScanController::cancel()
{
    if (!m_scheduler)
        return;
    m_cancelled = true;
    m_scheduler->cancel(); // emits finished
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
    flush();
    if (m_scheduler) {
        m_scheduler->disconnect(this);
        m_scheduler->deleteLater();
        m_scheduler = nullptr;
    }
    emit finished(m_cancelled);
}

} // namespace certdash
