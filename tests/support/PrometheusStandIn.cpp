#include "PrometheusStandIn.h"

#include <QDateTime>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTcpSocket>

namespace certdash::test {

namespace {
constexpr int kVersions = 8; // sample-time answers, each one probe interval newer
constexpr qint64 kIntervalSeconds = 60;

QJsonObject sample(const QJsonObject &labels, double value, qint64 at) {
    return QJsonObject{
        {QStringLiteral("metric"), labels},
        {QStringLiteral("value"), QJsonArray{double(at), QString::number(value, 'f', 3)}}};
}

QByteArray vector(const QJsonArray &result) {
    return QJsonDocument(
               QJsonObject{{QStringLiteral("status"), QStringLiteral("success")},
                           {QStringLiteral("data"),
                            QJsonObject{{QStringLiteral("resultType"), QStringLiteral("vector")},
                                        {QStringLiteral("result"), result}}}})
        .toJson(QJsonDocument::Compact);
}

QJsonObject labelsOf(const StandInEndpoint &e) {
    return {{QStringLiteral("job"), QStringLiteral("certdash_tls")},
            {QStringLiteral("instance"), e.host + u':' + QString::number(e.port)},
            {QStringLiteral("target"), e.host},
            {QStringLiteral("host"), e.host},
            {QStringLiteral("port"), QString::number(e.port)},
            {QStringLiteral("sni"), e.host},
            {QStringLiteral("owner"), e.owner},
            {QStringLiteral("tags"), e.tags.join(u',')}};
}
} // namespace

QList<StandInEndpoint> benchFleet(int n) {
    QList<StandInEndpoint> endpoints;
    endpoints.reserve(n);
    for (int i = 0; i < n; ++i) {
        StandInEndpoint e;
        e.host = QStringLiteral("h%1.bench.test").arg(i, 5, 10, QLatin1Char('0'));
        e.owner = QStringLiteral("team %1").arg(i % 40);
        e.tags = {QStringLiteral("bench"), QStringLiteral("zone%1").arg(i % 7)};
        e.expiresInSeconds = qint64(i % 400 - 20) * 86400;
        endpoints << e;
    }
    return endpoints;
}

PrometheusStandIn::PrometheusStandIn(const QList<StandInEndpoint> &endpoints) {
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    QJsonArray metrics;
    QList<QJsonArray> times(kVersions);
    int i = 0;
    for (const StandInEndpoint &e : endpoints) {
        const QJsonObject labels = labelsOf(e);
        const auto named = [&](const QString &name) {
            QJsonObject l = labels;
            l.insert(QStringLiteral("__name__"), name);
            return l;
        };
        metrics << sample(named(QStringLiteral("probe_success")), 1, now);
        metrics << sample(named(QStringLiteral("probe_ssl_earliest_cert_expiry")),
                          double(now + e.expiresInSeconds), now);
        metrics << sample(named(QStringLiteral("probe_duration_seconds")), 0.012, now);
        QJsonObject chain = named(QStringLiteral("probe_ssl_last_chain_info"));
        chain.insert(QStringLiteral("fingerprint_sha256"),
                     QStringLiteral("%1").arg(i++, 64, 16, QLatin1Char('a')));
        chain.insert(QStringLiteral("subject"), QStringLiteral("CN=") + e.host);
        chain.insert(QStringLiteral("issuer"), QStringLiteral("CN=Bench CA,O=Bench"));
        chain.insert(QStringLiteral("subjectalternative"), e.host);
        metrics << sample(chain, 1, now);
        QJsonObject version = named(QStringLiteral("probe_tls_version_info"));
        version.insert(QStringLiteral("version"), QStringLiteral("TLS 1.3"));
        metrics << sample(version, 1, now);
        for (int k = 0; k < kVersions; ++k)
            times[k] << sample(labels, double(now - (kVersions - 1 - k) * kIntervalSeconds), now);
    }
    m_metrics = vector(metrics);
    for (const QJsonArray &version : std::as_const(times))
        m_times << vector(version);

    m_server = new QTcpServer;
    if (!m_server->listen(QHostAddress::LocalHost))
        return;
    m_url = QStringLiteral("http://127.0.0.1:%1").arg(m_server->serverPort());
    QObject::connect(m_server, &QTcpServer::newConnection, m_server, [this] {
        while (QTcpSocket *s = m_server->nextPendingConnection()) {
            auto request = std::make_shared<QByteArray>();
            QObject::connect(s, &QTcpSocket::readyRead, s, [s, request, this] {
                request->append(s->readAll());
                if (!request->contains("\r\n\r\n"))
                    return;
                const QByteArray line = request->left(request->indexOf("\r\n"));
                QByteArray body;
                if (line.contains("=timestamp")) { // the query starts so
                    const int k = std::min(m_timesAnswered++, kVersions - 1);
                    body = m_times.at(k);
                } else {
                    ++m_reads;
                    body = m_metrics;
                }
                s->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                         QByteArray::number(body.size()) + "\r\n\r\n");
                s->write(body);
                request->clear();
            });
            QObject::connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
        }
    });
    m_server->moveToThread(&m_thread);
    QObject::connect(&m_thread, &QThread::finished, m_server, &QObject::deleteLater);
    m_thread.start();
}

PrometheusStandIn::~PrometheusStandIn() {
    if (m_thread.isRunning()) {
        m_thread.quit();
        m_thread.wait();
    } else {
        delete m_server;
    }
}

} // namespace certdash::test
