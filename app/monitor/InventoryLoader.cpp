#include "InventoryLoader.h"

#include "ThreadPriority.h"

#include "domain/Clock.h"
#include "storage/Database.h"
#include "storage/HistoryRepository.h"
#include "storage/ScanRunRepository.h"
#include "storage/TagPolicy.h"
#include "storage/TargetRepository.h"

#include <QElapsedTimer>
#include <QFile>
#include <QLoggingCategory>
#include <QSqlQuery>
#include <QThread>
#include <QTimer>

Q_DECLARE_LOGGING_CATEGORY(lcStorage)

namespace certdash {

// Owns the worker thread's own connection, opened on first use inside that thread.
class InventoryWorker : public QObject {
public:
    explicit InventoryWorker(QString path)
        : m_path(std::move(path)) {}

    Database *database(QString *error) {
        if (!m_database)
            m_database = Database::open(m_path, error);
        return m_database.get();
    }

    std::shared_ptr<InventorySnapshot> load(quint64 generation,
                                            const InventoryLoader::Prepare &prepare) {
        QElapsedTimer timer;
        timer.start();
        auto snapshot = std::make_shared<InventorySnapshot>();
        snapshot->generation = generation;
        if (Database *db = database(&snapshot->error)) {
            // One read transaction: targets and results from the same moment.
            db->exec(QStringLiteral("BEGIN"));
            QString error;
            snapshot->targets = TargetRepository(*db, m_clock).all(&error);
            if (error.isEmpty())
                snapshot->latest =
                    HistoryRepository(*db).latest(&error, CertificateDetail::Summary);
            if (error.isEmpty())
                snapshot->lastScanRun = ScanRunRepository(*db).latest(&error);
            // The version this snapshot holds: a watch reports only commits made after it.
            if (const auto version = dataVersion(*db))
                m_seenVersion = version;
            db->exec(QStringLiteral("COMMIT"));
            snapshot->error = error;
        }
        snapshot->readIn = QThread::currentThread();
        if (prepare)
            snapshot->prepared = prepare(*snapshot);
        snapshot->elapsedMs = timer.elapsed();
        qCDebug(lcStorage) << "inventory loaded in the worker:" << snapshot->targets.size()
                           << "targets," << snapshot->latest.size() << "results in"
                           << snapshot->elapsedMs << "ms";
        return snapshot;
    }

    QList<Target> probeTargets(const ExpiryPolicy &global, QString *error) {
        Database *db = database(error);
        if (!db)
            return {};
        db->exec(QStringLiteral("BEGIN"));
        TargetRepository repository(*db, m_clock);
        const QList<Target> all = repository.all(error);
        const QList<TagPolicy> policies = repository.tagPolicies(error);
        db->exec(QStringLiteral("COMMIT"));
        QList<Target> enabled;
        enabled.reserve(all.size());
        for (Target t : all) {
            if (!t.enabled)
                continue;
            const ExpiryPolicy p = effectivePolicy(global, policies, t);
            t.warningDays = p.warningDays;
            t.criticalDays = p.criticalDays;
            t.rotationDays = p.rotationDays;
            t.acceptance = effectiveAcceptance(policies, t);
            t.connection = effectiveConnection(ConnectionSettings{}, policies, t);
            t.checkRevocation = effectiveRevocationCheck(policies, t);
            enabled << t;
        }
        return enabled;
    }

    ImportOutcome importFile(const QString &path, const QDateTime &now) {
        ImportOutcome outcome;
        outcome.path = path;
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            outcome.readError = file.errorString();
            return outcome;
        }
        // Bounded like the command line: a dropped /dev/zero or huge file is refused, not read.
        const std::optional<QByteArray> content = readTargetsInput(file, &outcome.readError);
        if (!content)
            return outcome;
        ParsedTargets parsed = parseTargets(*content, path);
        outcome.notes = parsed.notes;
        if (!parsed.ok()) {
            outcome.moreIssues = parsed.moreIssues;
            outcome.formatNote = parsed.formatNote;
            outcome.issues = std::move(parsed.issues);
            return outcome;
        }
        Database *db = database(&outcome.error);
        if (!db)
            return outcome;
        // The caller's clock, read when the import was asked for: imports are stamped as the
        // caller would have stamped them.
        const FixedClock clock(now);
        outcome.summary =
            TargetRepository(*db, clock).importTargets(parsed.targets, &outcome.error);
        return outcome;
    }

    // True when another connection committed since the last load or the last look.
    bool changedSinceSeen() {
        QString error;
        Database *db = database(&error);
        const std::optional<qint64> version = db ? dataVersion(*db) : std::nullopt;
        if (!version)
            return false; // busy or unreadable now: the next look tells
        const bool changed = m_seenVersion && *version != *m_seenVersion;
        m_seenVersion = version;
        return changed;
    }

    void watch(int intervalMs, std::function<void()> changed) {
        if (!m_watch) {
            m_watch = new QTimer(this);
            connect(m_watch, &QTimer::timeout, this, [this] {
                if (changedSinceSeen() && m_changed)
                    m_changed();
            });
        }
        m_changed = std::move(changed);
        if (intervalMs <= 0) {
            m_watch->stop();
            return;
        }
        if (!m_seenVersion)
            changedSinceSeen(); // the version to compare with, when nothing was loaded yet
        m_watch->start(intervalMs);
    }

private:
    static std::optional<qint64> dataVersion(Database &db) {
        QSqlQuery q(db.connection());
        if (!q.exec(QStringLiteral("PRAGMA data_version")) || !q.next())
            return std::nullopt;
        return q.value(0).toLongLong();
    }

    QString m_path;
    SystemClock m_clock; // stamps nothing: reads never write, and importFile() uses the caller's
    std::unique_ptr<Database> m_database;
    std::optional<qint64> m_seenVersion; // PRAGMA data_version last read or loaded
    QTimer *m_watch = nullptr;
    std::function<void()> m_changed;
};

InventoryLoader::InventoryLoader(const QString &databasePath, QObject *parent)
    : QObject(parent)
    , m_thread(new QThread(this))
    , m_worker(new InventoryWorker(databasePath))
    , m_newest(std::make_shared<std::atomic<quint64>>(0)) {
    m_thread->setObjectName(QStringLiteral("certdash-store-reader"));
    m_worker->moveToThread(m_thread);
    // The connection is closed in the thread that opened it.
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    // Reading 100,000 rows for the table can wait for the window to paint (ThreadPriority.h).
    connect(m_thread, &QThread::started, m_worker, &lowerThisThreadsPriority,
            Qt::DirectConnection);
    m_thread->start();
}

InventoryLoader::~InventoryLoader() {
    m_newest->store(0); // queued loads that have not started are skipped
    m_thread->quit();
    m_thread->wait();
}

quint64 InventoryLoader::load() {
    const quint64 generation = ++m_requested;
    m_newest->store(generation);
    QMetaObject::invokeMethod(
        m_worker, [this, worker = m_worker, generation, prepare = m_prepare, newest = m_newest] {
            if (newest->load() != generation)
                return; // superseded before it started
            std::shared_ptr<InventorySnapshot> snapshot = worker->load(generation, prepare);
            QMetaObject::invokeMethod(this, [this, snapshot]() mutable {
                if (snapshot->generation != m_requested) {
                    dispose(std::move(snapshot)); // superseded while it ran
                    return;
                }
                m_delivered = snapshot->generation;
                emit loaded(snapshot);
            });
        });
    return generation;
}

void InventoryLoader::loadProbeTargets(const ExpiryPolicy &global) {
    QMetaObject::invokeMethod(m_worker, [this, worker = m_worker, global] {
        QString error;
        const QList<Target> targets = worker->probeTargets(global, &error);
        QMetaObject::invokeMethod(
            this, [this, targets, error] { emit probeTargetsLoaded(targets, error); });
    });
}

void InventoryLoader::importFile(const QString &path, const QDateTime &now) {
    QMetaObject::invokeMethod(m_worker, [this, worker = m_worker, path, now] {
        const ImportOutcome outcome = worker->importFile(path, now);
        QMetaObject::invokeMethod(this, [this, outcome] { emit imported(outcome); });
    });
}

quint64 InventoryLoader::loadChanges(const QDateTime &since, const QDateTime &until,
                                     std::optional<int> defaultRotationDays) {
    const quint64 generation = ++m_changesRequested;
    QMetaObject::invokeMethod(m_worker, [this, worker = m_worker, since, until,
                                         defaultRotationDays, generation] {
        QString error;
        QList<Change> changes;
        if (Database *db = worker->database(&error))
            changes = changesBetween(*db, since, until, defaultRotationDays, &error);
        QMetaObject::invokeMethod(this, [this, generation, changes, error] {
            emit changesLoaded(generation, changes, error);
        });
    });
    return generation;
}

void InventoryLoader::watch(int intervalMs) {
    QMetaObject::invokeMethod(m_worker, [this, worker = m_worker, intervalMs] {
        worker->watch(intervalMs,
                      [this] { QMetaObject::invokeMethod(this, [this] { emit storeChanged(); }); });
    });
}

void InventoryLoader::dispose(std::any garbage) {
    if (!garbage.has_value())
        return;
    auto holder = std::make_shared<std::any>(std::move(garbage));
    QMetaObject::invokeMethod(m_worker, [holder]() mutable { holder->reset(); });
}

} // namespace certdash
