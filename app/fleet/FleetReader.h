#pragma once

#include "FleetRows.h"
#include "FleetSource.h"
#include "domain/Clock.h"
#include "domain/ExpiryPolicy.h"
#include "domain/ProbeResult.h"
#include "storage/HistoryRepository.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>

#include <chrono>
#include <functional>
#include <memory>

class QNetworkAccessManager;
class QNetworkReply;
class QTimer;

namespace certdash {

// Reads the fleet's results from one Prometheus through its HTTP API (/api/v1/query for the
// latest rows, /api/v1/query_range for history). Asynchronous, never blocks: every read ends in
// exactly one of its signals, within the timeout (a server that accepts and never answers gives
// readFailed naming the URL). The secret goes into the Authorization header only (Bearer token,
// or Basic user:password) and into no message. Converting the answers is FleetRows.h.
class FleetReader : public QObject {
    Q_OBJECT
public:
    static constexpr qint64 kDefaultMaxResponseBytes = 256LL * 1024 * 1024;

    FleetReader(FleetSource source, QString secret /* token or password, "" none */,
                QObject *parent = nullptr);
    ~FleetReader() override;

    void setTimeout(std::chrono::milliseconds timeout); // whole read bounded; default 10 s
    std::chrono::milliseconds timeout() const { return m_timeout; }
    // An answer larger than this fails the read (default 256 MB: 10,000 targets take ~40 MB).
    void setMaxResponseBytes(qint64 bytes) { m_maxBytes = bytes; }
    // What rows are judged against: stored targets (their thresholds, with their tags' applied)
    // and the default thresholds. Without them every row gets the defaults.
    void setKnownTargets(const QList<Target> &targets) { m_known = targets; }
    void setPolicy(const ExpiryPolicy &policy) { m_policy = policy; }
    void setClock(std::shared_ptr<const Clock> clock) { m_clock = std::move(clock); }
    const FleetSource &source() const { return m_source; }
    // Reads in flight (each ends in one signal).
    int readsInFlight() const { return int(m_reads.size()); }

    void readLatest(); // one instant query set
    void readHistory(const QString &endpointKey, const QString &address, const QDateTime &from,
                     const QDateTime &to); // query_range
    void abortAll();                       // ends every read in flight with readFailed

signals:
    void latestRead(const QList<certdash::ProbeResult> &rows, const QDateTime &readAt);
    void historyRead(const QString &endpointKey, const QString &address,
                     const QList<certdash::HistoryPoint> &points); // storage/HistoryRepository.h
    void readFailed(const QString &message); // translated, names the URL, short excerpt

private:
    struct Read;
    using Done = std::function<void(const QList<QByteArray> &bodies)>;
    // GETs every url at once; done gets the bodies in the same order once all succeeded, else
    // readFailed is emitted once (first failure, or the timeout) and the others are aborted.
    void startRead(const QList<QUrl> &urls, Done done);
    void finishReply(const std::shared_ptr<Read> &read, QNetworkReply *reply);
    void fail(const std::shared_ptr<Read> &read, const QString &message);
    QUrl apiUrl(const QString &path, const QList<QPair<QString, QString>> &query) const;
    QString where(const QUrl &url) const; // the URL for messages: no query, no user info
    void latestFrom(const QList<QByteArray> &bodies, const QUrl &metricsUrl, const QUrl &timesUrl);

    FleetSource m_source;
    QString m_secret;
    std::chrono::milliseconds m_timeout{10000};
    qint64 m_maxBytes = kDefaultMaxResponseBytes;
    QList<Target> m_known;
    ExpiryPolicy m_policy;
    std::shared_ptr<const Clock> m_clock;
    QNetworkAccessManager *m_network = nullptr;
    QList<std::shared_ptr<Read>> m_reads;
    QString m_caError; // why caFile could not be used; "" when it could (or none)
    // From the last latest read: (endpointKey + "\n" + address) -> the series, for readHistory.
    QHash<QString, FleetSeriesKey> m_series;
};

} // namespace certdash
