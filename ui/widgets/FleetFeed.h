#pragma once

#include "domain/ProbeResult.h"
#include "fleet/FleetSource.h"
#include "models/EndpointTableModel.h"
#include "storage/HistoryRepository.h"
#include "storage/Settings.h"

#include <QElapsedTimer>
#include <QHash>
#include <QMutex>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>

class QThread;
class QTimer;

namespace certdash {

class FleetReader;
class SecretStore;

// Settings > Fleet's entry as FleetReader takes it.
FleetSource fleetSourceOf(const FleetSourceSettings &settings);

// The window's side of "read the fleet": one FleetReader per Prometheus of Settings > Fleet, read
// every read interval (never two reads of one source at once), its rows shown in the table as
// fleet rows. A read that fails (Prometheus down, slow, garbage) changes no row: the last rows
// stay, their age shows, and the status bar hears of it once per outage (message()), not per
// read. The last rows read are kept in a file beside the database (fleet-rows.json, written off
// the UI thread after each read that changed them) and shown again at the next start.
class FleetFeed : public QObject {
    Q_OBJECT
public:
    // cacheFile: "" keeps nothing across restarts.
    FleetFeed(EndpointTableModel &model, QString cacheFile, QObject *parent = nullptr);
    ~FleetFeed() override;

    // Starts reading these sources (the ones no longer listed lose their rows). Tokens and
    // passwords come from secrets (null: none are read, sources needing one say so).
    void setSources(const QList<FleetSourceSettings> &sources, SecretStore *secrets);
    // Every source read now (the timers go on).
    void readAll();
    // The rows shown now per source (implicitly shared copies: cheap), for a table prepared
    // away from the UI thread to include them.
    using Shown = QHash<QString, QList<ProbeResult>>;
    Shown shown() const;
    // After the window swapped in a table prepared with `shown`: the sources read (or removed)
    // since then are put right in the model; the others are in it already.
    void showSince(const Shown &shown);
    // The rows shown now per source, and when each source was last read successfully.
    QList<ProbeResult> rows() const;
    // Reads a fleet row's history (query_range) over [from, to]; historyRead() answers.
    void readHistory(const ProbeResult &row, const QDateTime &from, const QDateTime &to);
    // Bound of one whole read (tests shorten it).
    void setTimeout(std::chrono::milliseconds timeout);
    // Loads the cache file (in a thread of its own); cacheLoaded() when its rows are shown.
    void loadCache();
    // The stored targets by endpoint key (endpointKey() -> id), asked at the start of each read:
    // a fleet row with the key of a stored target stands for it in the alert tracker. The map
    // is handed to the reader's thread, which picks the rows to alert there.
    void setStoredTargets(std::function<QHash<QString, qint64>()> stored) {
        m_storedTargets = std::move(stored);
    }

    // What fleet rows are judged against before each read: the stored targets (thresholds with
    // their tags' applied) and the default thresholds, as `certdash scan` judges them.
    void setJudgement(std::function<QList<Target>()> knownTargets,
                      std::function<ExpiryPolicy()> policy) {
        m_knownTargets = std::move(knownTargets);
        m_policy = std::move(policy);
    }

signals:
    // A read came back and its rows are in the table.
    void rowsShown(const QString &source, int rows);
    // Rows to run through the alert tracker: fleet rows that match a stored target, with a probe
    // newer than the last one seen, keyed (stored target id, fleetAlertAddress()).
    void alertRows(const QList<certdash::ProbeResult> &rows);
    // Once per outage of a source, and once when it reads again.
    void message(const QString &text);
    void historyRead(const QString &source, const QString &endpointKey, const QString &address,
                     const QList<certdash::HistoryPoint> &points);
    void cacheLoaded(int rows);

private:
    // Target ids of fleet rows, shared with the threads that prepare rows.
    struct FleetIds {
        QMutex mutex;
        QHash<QString, qint64> ids; // source + '\n' + endpoint key -> id below zero
        qint64 next = -1;
        QHash<QString, qint64> stored; // endpoint key -> stored target id (setStoredTargets)
        QHash<QString, QDateTime> alerted; // alert address -> newest probe fed to the tracker
    };
    // One read's rows, prepared in the reader's thread.
    struct ReadRows {
        QList<ProbeResult> rows;
        QStringList keys; // endpointKey() of each row
        EndpointTableModel::FleetBatch batch;
        QList<ProbeResult> alerts; // for alertRows()
    };
    // alerts: pick the rows for the alert tracker too (a read, not the rows kept at start).
    static std::shared_ptr<ReadRows> prepare(FleetIds &ids, const QString &url,
                                             QList<ProbeResult> rows, bool alerts);
    struct Source {
        FleetSourceSettings settings;
        QPointer<FleetReader> reader;
        QTimer *timer = nullptr;
        bool reading = false;
        bool failing = false;
        QList<ProbeResult> rows;
        QStringList keys;
    };
    void startSource(const FleetSourceSettings &settings, SecretStore *secrets);
    void stopSource(const QString &url);
    void read(Source &source);
    void onRead(const QString &url, std::shared_ptr<ReadRows> read);
    void onFailed(const QString &url, const QString &message);
    void saveCache();  // soon, not now: see the .cpp
    void writeCache(); // now, in a thread
    static void disposeLater(QList<ProbeResult> rows, EndpointTableModel::Replaced more = {},
                             std::shared_ptr<ReadRows> read = {});

    EndpointTableModel &m_model;
    QString m_cacheFile;
    QThread *m_readerThread; // every FleetReader lives there
    std::chrono::milliseconds m_timeout{10000};
    QHash<QString, Source> m_sources; // by URL as written in Settings
    std::shared_ptr<FleetIds> m_ids = std::make_shared<FleetIds>();
    std::function<QHash<QString, qint64>()> m_storedTargets;
    std::function<QList<Target>()> m_knownTargets;
    std::function<ExpiryPolicy()> m_policy;
    QPointer<QThread> m_writer; // the cache write running, if any
    QTimer *m_cacheTimer = nullptr; // the next cache write
    QElapsedTimer m_lastCacheWrite; // since the last one began
    bool m_cacheDirty = false;  // rows changed while it ran
    bool m_cacheLoading = false; // the file is being read (loadCache())
};

} // namespace certdash
