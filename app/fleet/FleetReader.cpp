#include "FleetReader.h"

#include "domain/Excerpt.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QTimer>
#include <QUrlQuery>

#include <algorithm>

Q_LOGGING_CATEGORY(lcFleetReader, "certdash.fleet.reader", QtWarningMsg)

namespace certdash {

namespace {
struct FleetReaderText {
    Q_DECLARE_TR_FUNCTIONS(certdash::FleetReader)
};

QString historyKey(const QString &endpointKey, const QString &address) {
    return endpointKey + QLatin1Char('\n') + address;
}
} // namespace

struct FleetReader::Read {
    QList<QPointer<QNetworkReply>> replies;
    QList<QByteArray> bodies;
    int pending = 0;
    bool over = false;
    QTimer *timer = nullptr;
    Done done;
};

FleetReader::FleetReader(FleetSource source, QString secret, QObject *parent)
    : QObject(parent)
    , m_source(std::move(source))
    , m_secret(std::move(secret))
    , m_clock(std::make_shared<SystemClock>())
    , m_network(new QNetworkAccessManager(this)) {
    if (!m_source.caFile.isEmpty() && m_source.url.scheme().toLower() == QLatin1String("https")) {
        if (QSslCertificate::fromPath(m_source.caFile, QSsl::Pem).isEmpty())
            m_caError = FleetReaderText::tr("cannot read a PEM certificate from the CA file %1")
                            .arg(quoteExcerpt(m_source.caFile, 120));
    }
}

FleetReader::~FleetReader() {
    // No signal from a reader being destroyed: its owner is going away.
    const auto reads = m_reads;
    m_reads.clear();
    for (const auto &read : reads) {
        read->over = true;
        for (const auto &reply : std::as_const(read->replies)) {
            if (reply) {
                reply->disconnect(this);
                reply->abort();
            }
        }
    }
}

void FleetReader::setTimeout(std::chrono::milliseconds timeout) {
    m_timeout = std::max(timeout, std::chrono::milliseconds(1));
}

QUrl FleetReader::apiUrl(const QString &path, const QList<QPair<QString, QString>> &query) const {
    QUrl url = m_source.url;
    QString base = url.path();
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    url.setPath(base + path);
    QUrlQuery q;
    for (const auto &[key, value] : query)
        q.addQueryItem(key, QString::fromLatin1(QUrl::toPercentEncoding(value)));
    url.setQuery(q);
    url.setUserInfo({});
    return url;
}

QString FleetReader::where(const QUrl &url) const {
    return url.toString(QUrl::RemoveQuery | QUrl::RemoveUserInfo | QUrl::RemoveFragment);
}

void FleetReader::fail(const std::shared_ptr<Read> &read, const QString &message) {
    if (read->over)
        return;
    read->over = true;
    m_reads.removeOne(read);
    if (read->timer)
        read->timer->stop();
    for (const auto &reply : std::as_const(read->replies)) {
        if (!reply || reply->isFinished())
            continue;
        reply->disconnect(this);
        reply->deleteLater(); // closes its connection
    }
    qCDebug(lcFleetReader) << "read failed:" << message;
    emit readFailed(message);
}

void FleetReader::startRead(const QList<QUrl> &urls, Done done) {
    auto read = std::make_shared<Read>();
    read->done = std::move(done);
    read->bodies.resize(urls.size());
    read->pending = int(urls.size());
    m_reads.append(read);
    if (!m_caError.isEmpty()) {
        // Reported from the event loop, like every other outcome.
        QTimer::singleShot(0, this, [this, read] {
            fail(read, QStringLiteral("%1: %2").arg(where(m_source.url), m_caError));
        });
        return;
    }
    read->timer = new QTimer(this);
    read->timer->setSingleShot(true);
    const QString firstUrl = where(urls.value(0));
    connect(read->timer, &QTimer::timeout, this, [this, read, firstUrl] {
        read->timer->deleteLater();
        read->timer = nullptr;
        fail(read, FleetReaderText::tr("%1: no answer within %2 s (Prometheus down or too slow; "
                                       "see --timeout)")
                       .arg(firstUrl)
                       .arg(double(m_timeout.count()) / 1000.0));
    });
    read->timer->start(m_timeout);

    for (const QUrl &url : urls) {
        QNetworkRequest request(url);
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                             QNetworkRequest::SameOriginRedirectPolicy);
        request.setHeader(QNetworkRequest::UserAgentHeader, QStringLiteral("certdash"));
        request.setRawHeader("Accept", "application/json");
        if (m_source.auth == FleetSource::Auth::Bearer && !m_secret.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + m_secret.toUtf8());
        else if (m_source.auth == FleetSource::Auth::Basic)
            request.setRawHeader(
                "Authorization",
                "Basic " + (m_source.user + QLatin1Char(':') + m_secret).toUtf8().toBase64());
        if (url.scheme().toLower() == QLatin1String("https") && !m_source.caFile.isEmpty()) {
            QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
            tls.setCaCertificates(QSslCertificate::fromPath(m_source.caFile, QSsl::Pem));
            request.setSslConfiguration(tls);
        }
        QNetworkReply *reply = m_network->get(request);
        read->replies.append(reply);
        connect(reply, &QNetworkReply::downloadProgress, this,
                [this, read, reply](qint64 received, qint64 total) {
                    if (read->over || (received <= m_maxBytes && total <= m_maxBytes))
                        return;
                    fail(read, FleetReaderText::tr("%1: the answer is larger than %2 MB")
                                   .arg(where(reply->url()))
                                   .arg(double(m_maxBytes) / (1024.0 * 1024.0), 0, 'f', 1));
                });
        connect(reply, &QNetworkReply::finished, this,
                [this, read, reply] { finishReply(read, reply); });
    }
}

void FleetReader::finishReply(const std::shared_ptr<Read> &read, QNetworkReply *reply) {
    reply->deleteLater();
    if (read->over)
        return;
    const qsizetype index = read->replies.indexOf(reply);
    const QByteArray body = reply->readAll();
    const QString url = where(reply->url());
    const int http = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (reply->error() != QNetworkReply::NoError || http != 200) {
        // Prometheus explains a refused query in a JSON body (400, 422, 503).
        if (http != 0 && body.startsWith('{')) {
            const PromVector parsed = parsePromVector(body, url);
            if (!parsed.error.isEmpty() && parsed.error.contains(QLatin1String("(")) &&
                body.contains("\"error\"")) {
                fail(read, parsed.error + QStringLiteral(" [HTTP %1]").arg(http));
                return;
            }
        }
        if (http != 0)
            fail(read,
                 FleetReaderText::tr("%1: HTTP %2 %3: %4")
                     .arg(url)
                     .arg(http)
                     .arg(reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString(),
                          quoteExcerpt(QString::fromUtf8(body.left(200)), 80)));
        else
            fail(read, QStringLiteral("%1: %2").arg(url, reply->errorString()));
        return;
    }
    if (body.size() > m_maxBytes) {
        fail(read, FleetReaderText::tr("%1: the answer is larger than %2 MB")
                       .arg(url)
                       .arg(double(m_maxBytes) / (1024.0 * 1024.0), 0, 'f', 1));
        return;
    }
    read->bodies[index] = body;
    if (--read->pending > 0)
        return;
    read->over = true;
    m_reads.removeOne(read);
    if (read->timer) {
        read->timer->stop();
        read->timer->deleteLater();
        read->timer = nullptr;
    }
    read->done(read->bodies);
}

void FleetReader::readLatest() {
    const QUrl metrics =
        apiUrl(QStringLiteral("/api/v1/query"), {{QStringLiteral("query"), fleetMetricsQuery()}});
    const QUrl times = apiUrl(QStringLiteral("/api/v1/query"),
                              {{QStringLiteral("query"), fleetSampleTimesQuery()}});
    startRead({metrics, times}, [this, metrics, times](const QList<QByteArray> &bodies) {
        latestFrom(bodies, metrics, times);
    });
}

void FleetReader::latestFrom(const QList<QByteArray> &bodies, const QUrl &metricsUrl,
                             const QUrl &timesUrl) {
    const PromVector metrics = parsePromVector(bodies.value(0), where(metricsUrl));
    if (!metrics.error.isEmpty()) {
        emit readFailed(metrics.error);
        return;
    }
    const PromVector times = parsePromVector(bodies.value(1), where(timesUrl));
    if (!times.error.isEmpty()) {
        emit readFailed(times.error);
        return;
    }
    FleetRowContext context;
    context.source = m_source.url.toString(QUrl::RemoveUserInfo | QUrl::StripTrailingSlash);
    context.known = m_known;
    context.policy = m_policy;
    context.now = m_clock->now();
    QList<FleetSeriesKey> keys;
    const QList<ProbeResult> rows = fleetRows(metrics.samples, times.samples, context, &keys);
    m_series.clear();
    for (qsizetype i = 0; i < rows.size(); ++i)
        m_series.insert(historyKey(fleetRowKey(rows.at(i)), rows.at(i).address), keys.at(i));
    emit latestRead(rows, context.now);
}

void FleetReader::readHistory(const QString &endpointKeyText, const QString &address,
                              const QDateTime &from, const QDateTime &to) {
    const auto found = m_series.constFind(historyKey(endpointKeyText, address));
    if (found == m_series.constEnd()) {
        const QString url = where(apiUrl(QStringLiteral("/api/v1/query_range"), {}));
        QTimer::singleShot(0, this, [this, url, address] {
            emit readFailed(FleetReaderText::tr("%1: no fleet series for %2 (read the latest "
                                                "results first)")
                                .arg(url, quoteExcerpt(address)));
        });
        return;
    }
    const FleetSeriesKey key = *found;
    const qint64 start = from.toSecsSinceEpoch();
    const qint64 end = std::max(to.toSecsSinceEpoch(), start + 1);
    // At most ~2,000 points per series (Prometheus refuses more than 11,000).
    const qint64 step = std::max<qint64>(60, (end - start) / 2000);
    const QUrl url = apiUrl(QStringLiteral("/api/v1/query_range"),
                            {{QStringLiteral("query"), fleetHistoryQuery(key.job, key.instance)},
                             {QStringLiteral("start"), QString::number(start)},
                             {QStringLiteral("end"), QString::number(end)},
                             {QStringLiteral("step"), QString::number(step)}});
    Target target;
    for (const Target &t : std::as_const(m_known)) {
        if (endpointKey(t) == endpointKeyText) {
            target = t;
            break;
        }
    }
    const ExpiryPolicy policy = m_policy.forTarget(target);
    startRead({url}, [this, url, endpointKeyText, address, policy](const QList<QByteArray> &b) {
        const PromMatrix matrix = parsePromMatrix(b.value(0), where(url));
        if (!matrix.error.isEmpty()) {
            emit readFailed(matrix.error);
            return;
        }
        emit historyRead(endpointKeyText, address, fleetHistory(matrix.series, address, policy));
    });
}

void FleetReader::abortAll() {
    const auto reads = m_reads;
    for (const auto &read : reads)
        fail(read, FleetReaderText::tr("%1: read cancelled").arg(where(m_source.url)));
}

} // namespace certdash
