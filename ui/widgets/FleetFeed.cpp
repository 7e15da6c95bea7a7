#include "FleetFeed.h"

#include "FleetFeedCache.h"
#include "alerts/AlertTracker.h"
#include "fleet/FleetReader.h"
#include "fleet/FleetRows.h"
#include "models/EndpointTableModel.h"
#include "monitor/ThreadPriority.h"
#include "secrets/SecretStore.h"

#include <QLoggingCategory>
#include <QMutexLocker>
#include <QPointer>
#include <QThread>
#include <QTimer>
#include <QUrl>

namespace certdash {

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcFleetFeed, "certdash.fleet.window")

FleetSource fleetSourceOf(const FleetSourceSettings &settings) {
    FleetSource source;
    source.url = QUrl(settings.url);
    if (settings.auth == QLatin1String("bearer"))
        source.auth = FleetSource::Auth::Bearer;
    else if (settings.auth == QLatin1String("basic"))
        source.auth = FleetSource::Auth::Basic;
    source.user = settings.user;
    source.caFile = settings.caFile;
    return source;
}

FleetFeed::FleetFeed(EndpointTableModel &model, QString cacheFile, QObject *parent)
    : QObject(parent)
    , m_model(model)
    , m_cacheFile(std::move(cacheFile))
    , m_readerThread(new QThread(this)) {
    // The readers live in a thread of their own: a 10,000-target answer is tens of megabytes of
    // JSON, and parsing and converting it there keeps the window answering (bench_fleet_rows).
    m_readerThread->setObjectName(QStringLiteral("fleet readers"));
    // ...and yield to the UI thread (ThreadPriority.h): a read can wait, a repaint cannot.
    connect(m_readerThread, &QThread::started, this, &lowerThisThreadsPriority,
            Qt::DirectConnection);
    m_readerThread->start();
    m_cacheTimer = new QTimer(this);
    m_cacheTimer->setSingleShot(true);
    connect(m_cacheTimer, &QTimer::timeout, this, &FleetFeed::writeCache);
}

FleetFeed::~FleetFeed() {
    QList<ProbeResult> shown; // before the sources (and their rows) go
    for (const Source &source : std::as_const(m_sources))
        shown += source.rows;
    const QStringList urls = m_sources.keys();
    for (const QString &url : urls)
        stopSource(url);
    m_readerThread->quit();
    m_readerThread->wait();
    // A cache write still running finishes first; rows read after it started would otherwise
    // be lost with the window, and the next start would show older rows than the last shown.
    if (m_writer)
        m_writer->wait();
    if (m_cacheDirty && !m_cacheLoading && !m_cacheFile.isEmpty()) {
        if (const QString error = fleetcache::write(m_cacheFile, shown); !error.isEmpty())
            qCWarning(lcFleetFeed) << "fleet rows not kept:" << error;
    }
}

void FleetFeed::setTimeout(std::chrono::milliseconds timeout) {
    m_timeout = timeout;
    for (Source &source : m_sources) {
        if (FleetReader *reader = source.reader)
            QMetaObject::invokeMethod(reader, [reader, timeout] { reader->setTimeout(timeout); });
    }
}

void FleetFeed::setSources(const QList<FleetSourceSettings> &sources, SecretStore *secrets) {
    QSet<QString> wanted;
    for (const FleetSourceSettings &s : sources)
        wanted.insert(s.url);
    const QStringList current = m_sources.keys();
    for (const QString &url : current) {
        if (!wanted.contains(url)) {
            stopSource(url);
            m_model.removeFleetSource(url);
        }
    }
    for (const FleetSourceSettings &s : sources) {
        const auto it = m_sources.constFind(s.url);
        if (it != m_sources.cend() && it->settings == s && it->reader)
            continue; // unchanged: keeps its reader, rows and outage state
        QList<ProbeResult> rows = it != m_sources.cend() ? it->rows : QList<ProbeResult>();
        stopSource(s.url);
        startSource(s, secrets);
        m_sources[s.url].rows = std::move(rows);
    }
    saveCache();
}

void FleetFeed::startSource(const FleetSourceSettings &settings, SecretStore *secrets) {
    const FleetSource source = fleetSourceOf(settings);
    QString secret;
    if (source.auth != FleetSource::Auth::None) {
        // The keychain answers in milliseconds (bounded by KeychainSecretStore); only sources
        // that need a token or password ask, once, when Settings > Fleet is applied.
        const SecretLookup lookup = secrets ? secrets->read(source.secretKey()) : SecretLookup{};
        if (lookup.outcome == SecretLookup::Outcome::Found)
            secret = lookup.value;
        else
            emit message(
                tr("Fleet %1: no %2 in the keychain (%3); reading without it.")
                    .arg(EndpointTableModel::sourceLabel(settings.url),
                         source.auth == FleetSource::Auth::Bearer ? tr("token") : tr("password"),
                         lookup.error.isEmpty() ? tr("no keychain") : lookup.error));
    }
    Source &s = m_sources[settings.url];
    s.settings = settings;
    s.reader = new FleetReader(source, secret);
    s.reader->setTimeout(m_timeout);
    s.reader->moveToThread(m_readerThread);
    connect(m_readerThread, &QThread::finished, s.reader, &QObject::deleteLater);
    const QString url = settings.url;
    // In the reader's thread: ids, endpoint keys and the table's search texts and sort keys;
    // the UI thread then only moves the rows in.
    connect(s.reader, &FleetReader::latestRead, s.reader,
            [this, url, ids = m_ids](const QList<ProbeResult> &rows, const QDateTime &) {
                const std::shared_ptr<ReadRows> read = prepare(*ids, url, rows, true);
                QMetaObject::invokeMethod(
                    this, [this, url, read]() mutable { onRead(url, std::move(read)); },
                    Qt::QueuedConnection);
            });
    connect(s.reader, &FleetReader::readFailed, this,
            [this, url](const QString &text) { onFailed(url, text); });
    connect(
        s.reader, &FleetReader::historyRead, this,
        [this, url](const QString &key, const QString &address, const QList<HistoryPoint> &points) {
            emit historyRead(url, key, address, points);
        });
    s.timer = new QTimer(this);
    s.timer->setInterval(settings.readIntervalSeconds * 1000);
    connect(s.timer, &QTimer::timeout, this, [this, url] {
        if (const auto it = m_sources.find(url); it != m_sources.end())
            read(*it);
    });
    s.timer->start();
    // Stale after three read intervals without a newer sample.
    m_model.setFleetStaleAfterSeconds(url, qint64(settings.readIntervalSeconds) * 3);
    read(s);
}

void FleetFeed::stopSource(const QString &url) {
    const auto it = m_sources.find(url);
    if (it == m_sources.end())
        return;
    if (FleetReader *reader = it->reader) // deleted in its thread; a read in flight answers nobody
        QMetaObject::invokeMethod(reader, [reader] { delete reader; });
    delete it->timer;
    m_sources.erase(it);
}

void FleetFeed::read(Source &source) {
    if (source.reading || !source.reader)
        return; // the previous read is still bounded by its timeout
    source.reading = true;
    FleetReader *reader = source.reader;
    const QList<Target> known = m_knownTargets ? m_knownTargets() : QList<Target>();
    if (m_storedTargets) {
        const QHash<QString, qint64> stored = m_storedTargets(); // shared: no copy
        const QMutexLocker lock(&m_ids->mutex);
        m_ids->stored = stored;
    }
    const std::optional<ExpiryPolicy> policy =
        m_policy ? std::optional<ExpiryPolicy>(m_policy()) : std::nullopt;
    QMetaObject::invokeMethod(reader, [reader, known, policy] {
        reader->setKnownTargets(known);
        if (policy)
            reader->setPolicy(*policy);
        reader->readLatest();
    });
}

void FleetFeed::readAll() {
    for (Source &source : m_sources)
        read(source);
}

std::shared_ptr<FleetFeed::ReadRows> FleetFeed::prepare(FleetIds &ids, const QString &url,
                                                        QList<ProbeResult> rows, bool alerts) {
    auto read = std::make_shared<ReadRows>();
    read->keys.reserve(rows.size());
    const QMutexLocker lock(&ids.mutex);
    for (ProbeResult &r : rows) {
        r.source = url;
        read->keys << endpointKey(r.target);
        // One exporter's view of an address probed by several is a row of its own.
        const QString key = url + u'\n' + r.vantage + u'\n' + read->keys.last();
        auto it = ids.ids.find(key);
        if (it == ids.ids.end())
            it = ids.ids.insert(key, ids.next--);
        r.target.id = *it;
    }
    if (alerts && !ids.stored.isEmpty()) {
        // Rows that stand for a stored target go through the alert tracker as that target,
        // keyed by address (see fleetAlertAddress()), when their probe is newer than the last
        // one fed: the same sample read again is no new probe (no second failure).
        const QString prometheus = EndpointTableModel::sourceLabel(url);
        for (qsizetype k = 0; k < rows.size(); ++k) {
            const qint64 stored = ids.stored.value(read->keys.at(k), 0);
            if (stored <= 0)
                continue;
            const ProbeResult &r = rows.at(k);
            const QString address = fleetAlertAddress(
                prometheus, r.vantage.isEmpty() ? r.address : r.address + u" via "_s + r.vantage);
            QDateTime &seen = ids.alerted[QString::number(stored) + u' ' + address];
            if (seen.isValid() && r.probedAt <= seen)
                continue;
            seen = r.probedAt;
            ProbeResult a = r;
            a.target.id = stored;
            a.address = address;
            a.roundAddresses.clear();
            read->alerts << a;
        }
    }
    read->rows = rows;
    read->batch = EndpointTableModel::prepareFleet(std::move(rows));
    return read;
}

void FleetFeed::onRead(const QString &url, std::shared_ptr<ReadRows> read) {
    const auto it = m_sources.find(url);
    if (it == m_sources.end())
        return;
    it->reading = false;
    const qsizetype count = read->rows.size();
    QList<ProbeResult> before = std::exchange(it->rows, read->rows);
    it->keys = read->keys;
    EndpointTableModel::Replaced replaced = m_model.setFleetRows(url, std::move(read->batch));
    if (std::exchange(it->failing, false))
        emit message(tr("Fleet %1 is read again.").arg(EndpointTableModel::sourceLabel(url)));
    emit rowsShown(url, int(count));
    if (!read->alerts.isEmpty())
        emit alertRows(read->alerts);
    // The rows replaced, and what is left of the read (the alert rows unless the tracker holds
    // them still), are freed in a thread.
    disposeLater(std::move(before), std::move(replaced), std::move(read));
    saveCache();
}

void FleetFeed::disposeLater(QList<ProbeResult> rows, EndpointTableModel::Replaced more,
                             std::shared_ptr<ReadRows> read) {
    // Freeing 10,000 rows costs the UI thread tens of milliseconds: a thread frees them.
    if (rows.isEmpty() && more.isEmpty() && !read)
        return;
    QThread *disposer = QThread::create(
        [rows = std::move(rows), more = std::move(more), read = std::move(read)]() mutable {
            lowerThisThreadsPriority();
            rows.clear();
            more.clear();
            read.reset();
        });
    connect(disposer, &QThread::finished, disposer, &QObject::deleteLater);
    disposer->start();
}

void FleetFeed::onFailed(const QString &url, const QString &text) {
    const auto it = m_sources.find(url);
    if (it == m_sources.end())
        return;
    it->reading = false;
    qCInfo(lcFleetFeed) << "fleet read failed:" << text;
    // The rows stay as they were; their age says how old they are. Said once per outage.
    if (!std::exchange(it->failing, true))
        emit message(tr("Fleet %1 could not be read: %2 The rows read before stay, with their "
                        "age.")
                         .arg(EndpointTableModel::sourceLabel(url), text));
}

FleetFeed::Shown FleetFeed::shown() const {
    Shown shown;
    for (auto it = m_sources.cbegin(); it != m_sources.cend(); ++it)
        shown.insert(it.key(), it->rows);
    return shown;
}

void FleetFeed::showSince(const Shown &shown) {
    for (auto it = m_sources.cbegin(); it != m_sources.cend(); ++it) {
        const auto was = shown.constFind(it.key());
        // The same list (shared, not compared row by row) means no read replaced it since.
        if (was != shown.cend() && was->constData() == it->rows.constData())
            continue;
        // A read landed while the table was prepared: its rows are made ready for the table in
        // the readers' thread again (10,000 rows cost the UI thread ~50 ms), and put in unless
        // a newer read is shown by then. Meanwhile the table shows the rows it was prepared with.
        FleetReader *reader = it->reader;
        if (!reader) {
            disposeLater({}, m_model.setFleetRows(it.key(), it->rows));
            continue;
        }
        QMetaObject::invokeMethod(
            reader, [this, url = it.key(), rows = it->rows, ids = m_ids]() mutable {
                const void *shownRows = rows.constData();
                std::shared_ptr<ReadRows> read = prepare(*ids, url, std::move(rows), false);
                QMetaObject::invokeMethod(
                    this,
                    [this, url, shownRows, read]() mutable {
                        const auto source = m_sources.find(url);
                        if (source == m_sources.end() || source->rows.constData() != shownRows)
                            return; // a newer read was shown meanwhile
                        EndpointTableModel::Replaced replaced =
                            m_model.setFleetRows(url, std::move(read->batch));
                        disposeLater({}, std::move(replaced), std::move(read));
                    },
                    Qt::QueuedConnection);
            });
    }
    for (auto it = shown.cbegin(); it != shown.cend(); ++it) {
        if (!m_sources.contains(it.key()))
            m_model.removeFleetSource(it.key());
    }
}

QList<ProbeResult> FleetFeed::rows() const {
    QList<ProbeResult> all;
    for (const Source &source : m_sources)
        all += source.rows;
    return all;
}

void FleetFeed::readHistory(const ProbeResult &row, const QDateTime &from, const QDateTime &to) {
    const auto it = m_sources.constFind(row.source);
    if (it == m_sources.cend() || !it->reader)
        return;
    FleetReader *reader = it->reader;
    QMetaObject::invokeMethod(reader, [reader, key = fleetRowKey(row), address = row.address,
                                       from, to] { reader->readHistory(key, address, from, to); });
}

void FleetFeed::saveCache() {
    if (m_cacheFile.isEmpty())
        return;
    // The file only serves the next start, and encoding 10,000 rows costs a core half a second:
    // written a few seconds after the first read (not while the rows are being shown), then at
    // most every five minutes, and when the window closes (the destructor).
    m_cacheDirty = true;
    if (m_cacheTimer->isActive())
        return;
    constexpr qint64 kFirst = 3000, kEvery = 5 * 60 * 1000;
    const qint64 since = m_lastCacheWrite.isValid() ? m_lastCacheWrite.elapsed() : kEvery;
    m_cacheTimer->start(int(std::max(kFirst, kEvery - since)));
}

void FleetFeed::writeCache() {
    if (!m_cacheDirty)
        return;
    // One write at a time, and none while the file is still being read at start (it would
    // replace the rows kept with the none read yet): the newest rows are written after.
    if (m_writer || m_cacheLoading)
        return; // written when that ends
    m_cacheDirty = false;
    m_lastCacheWrite.start();
    // Encoding and writing 10,000 rows takes tens of milliseconds: a thread of its own, the
    // rows copied (implicitly shared) into it.
    QList<QList<ProbeResult>> perSource;
    for (const Source &source : std::as_const(m_sources))
        perSource << source.rows;
    QThread *writer = QThread::create([path = m_cacheFile, perSource] {
        lowerThisThreadsPriority();
        QList<ProbeResult> rows;
        for (const QList<ProbeResult> &some : perSource)
            rows += some;
        if (const QString error = fleetcache::write(path, rows); !error.isEmpty())
            qCWarning(lcFleetFeed) << "fleet rows not kept:" << error;
    });
    m_writer = writer;
    connect(writer, &QThread::finished, writer, &QObject::deleteLater);
    connect(writer, &QThread::finished, this, [this] {
        if (m_cacheDirty && !m_cacheTimer->isActive())
            saveCache();
    });
    writer->start();
}

void FleetFeed::loadCache() {
    if (m_cacheFile.isEmpty())
        return;
    using Prepared = QHash<QString, std::shared_ptr<ReadRows>>;
    auto prepared = std::make_shared<Prepared>();
    QThread *loader = QThread::create([path = m_cacheFile, prepared, ids = m_ids] {
        lowerThisThreadsPriority();
        QString error;
        const QList<ProbeResult> rows = fleetcache::read(path, &error);
        if (!error.isEmpty())
            qCWarning(lcFleetFeed) << "fleet rows file not read:" << error;
        QHash<QString, QList<ProbeResult>> bySource;
        for (const ProbeResult &r : rows)
            bySource[r.source] << r;
        for (auto it = bySource.begin(); it != bySource.end(); ++it)
            prepared->insert(it.key(), prepare(*ids, it.key(), std::move(*it), false));
    });
    connect(loader, &QThread::finished, loader, &QObject::deleteLater);
    // Shown on the UI thread, unless this is gone by then (the connection goes with it).
    connect(loader, &QThread::finished, this, [this, prepared] {
        int shown = 0;
        for (auto it = prepared->begin(); it != prepared->end(); ++it) {
            // Rows of sources still configured that no read has answered yet since the start.
            const auto source = m_sources.find(it.key());
            if (source == m_sources.end() || !source->rows.isEmpty())
                continue;
            source->rows = (*it)->rows;
            source->keys = (*it)->keys;
            shown += int((*it)->rows.size());
            disposeLater({}, m_model.setFleetRows(it.key(), std::move((*it)->batch)));
        }
        m_cacheLoading = false;
        if (m_cacheDirty)
            saveCache();
        emit cacheLoaded(shown);
    });
    m_cacheLoading = true;
    loader->start();
}

} // namespace certdash
