// FleetReader against a local HTTP server that plays Prometheus: what goes on the wire (the API
// paths, the Authorization header for Bearer and Basic) and how every way of failing ends in
// exactly one readFailed that names the URL, never a hang and never the secret: an HTTP error,
// a Prometheus error body, an answer that is not JSON, an answer over the size cap, a server that
// accepts and never answers.
#include "fleet/FleetReader.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <functional>

using namespace certdash;
using namespace Qt::StringLiterals;

namespace {
struct Response {
    int status = 200;
    QByteArray body;
    bool hang = false; // accept, read, never answer
};

// One HTTP/1.1 answer per request; records each request's head.
class FakePrometheus : public QTcpServer {
public:
    std::function<Response(const QByteArray &requestLine)> answer;
    QList<QByteArray> requests;

    FakePrometheus() {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    QByteArray &buffer = m_buffers[socket];
                    buffer += socket->readAll();
                    while (buffer.contains("\r\n\r\n")) {
                        const qsizetype end = buffer.indexOf("\r\n\r\n") + 4;
                        const QByteArray head = buffer.left(end);
                        buffer.remove(0, end);
                        requests << head;
                        const Response r = answer(head.left(head.indexOf("\r\n")));
                        if (r.hang)
                            continue;
                        socket->write("HTTP/1.1 " + QByteArray::number(r.status) +
                                      " Whatever\r\nContent-Type: application/json\r\n"
                                      "Content-Length: " +
                                      QByteArray::number(r.body.size()) + "\r\n\r\n" + r.body);
                    }
                });
            }
        });
    }
    QString url() const { return u"http://127.0.0.1:%1"_s.arg(serverPort()); }

private:
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

const QByteArray kEmptyVector =
    "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}";

QByteArray oneProbe() {
    return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
           "{\"metric\":{\"__name__\":\"probe_success\",\"job\":\"certdash_blackbox\","
           "\"instance\":\"127.0.0.1:1\",\"target\":\"closed\",\"host\":\"127.0.0.1\","
           "\"port\":\"1\"},\"value\":[1700000000,\"0\"]}]}}";
}

FleetSource sourceFor(const FakePrometheus &server) {
    FleetSource source;
    source.url = QUrl(server.url());
    return source;
}
} // namespace

class TestFleetReader : public QObject {
    Q_OBJECT

private slots:
    void readsTheLatestRows() {
        FakePrometheus server;
        server.answer = [](const QByteArray &line) {
            return Response{200, line.contains("timestamp%28") ? kEmptyVector : oneProbe()};
        };
        QVERIFY(server.listen(QHostAddress::LocalHost));
        FleetReader reader(sourceFor(server), {});
        QSignalSpy read(&reader, &FleetReader::latestRead);
        QSignalSpy failed(&reader, &FleetReader::readFailed);
        reader.readLatest();
        QTRY_COMPARE(read.size() + failed.size(), 1);
        QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
        const auto rows = read.first().first().value<QList<ProbeResult>>();
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows.first().target.label(), u"closed"_s);
        QCOMPARE(rows.first().status, Status::Unreachable);
        QCOMPARE(rows.first().source, server.url());
        QCOMPARE(server.requests.size(), 2);
        for (const QByteArray &request : std::as_const(server.requests)) {
            QVERIFY2(request.startsWith("GET /api/v1/query?query="), request.constData());
            QVERIFY(!request.contains("Authorization"));
        }
    }

    void sendsTheSecretOnlyInTheAuthorizationHeader_data() {
        QTest::addColumn<int>("auth");
        QTest::addColumn<QByteArray>("header");
        QTest::newRow("bearer") << int(FleetSource::Auth::Bearer)
                                << QByteArray("Authorization: Bearer s3cr3t-token\r\n");
        QTest::newRow("basic") << int(FleetSource::Auth::Basic)
                               << "Authorization: Basic " +
                                      QByteArray("reader:s3cr3t-token").toBase64() + "\r\n";
    }
    void sendsTheSecretOnlyInTheAuthorizationHeader() {
        QFETCH(int, auth);
        QFETCH(QByteArray, header);
        FakePrometheus server;
        server.answer = [](const QByteArray &) {
            return Response{401, "{\"status\":\"error\",\"errorType\":\"unauthorized\","
                                 "\"error\":\"bad token\"}"};
        };
        QVERIFY(server.listen(QHostAddress::LocalHost));
        FleetSource source = sourceFor(server);
        source.auth = FleetSource::Auth(auth);
        source.user = u"reader"_s;
        FleetReader reader(source, u"s3cr3t-token"_s);
        QSignalSpy failed(&reader, &FleetReader::readFailed);
        reader.readLatest();
        QTRY_COMPARE(failed.size(), 1);
        QVERIFY(!server.requests.isEmpty());
        QVERIFY2(server.requests.first().contains(header), server.requests.first().constData());
        const QString message = failed.first().first().toString();
        QVERIFY2(message.contains(server.url() + u"/api/v1/query"_s), qPrintable(message));
        QVERIFY2(message.contains(u"401"_s), qPrintable(message));
        QVERIFY2(!message.contains(u"s3cr3t"_s), qPrintable(message));
        QTest::qWait(50);
        QCOMPARE(failed.size(), 1); // one failure per read, not one per request
    }

    void failsClearly_data() {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("http 503")
            << 503 << QByteArray("<html>Service Unavailable</html>")
            << QStringList{u"HTTP 503"_s, u"Service Unavailable"_s};
        QTest::newRow("prometheus error")
            << 400
            << QByteArray("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse "
                          "error at char 3\"}")
            << QStringList{u"bad_data"_s, u"parse error at char 3"_s, u"400"_s};
        QTest::newRow("not json") << 200 << QByteArray("Prometheus is not here")
                                  << QStringList{u"not Prometheus JSON"_s, u"Prometheus is not"_s};
        QTest::newRow("truncated") << 200 << kEmptyVector.left(40)
                                   << QStringList{u"not Prometheus JSON"_s};
    }
    void failsClearly() {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(QStringList, expected);
        FakePrometheus server;
        server.answer = [&](const QByteArray &) { return Response{status, body}; };
        QVERIFY(server.listen(QHostAddress::LocalHost));
        FleetReader reader(sourceFor(server), {});
        QSignalSpy read(&reader, &FleetReader::latestRead);
        QSignalSpy failed(&reader, &FleetReader::readFailed);
        reader.readLatest();
        QTRY_COMPARE(failed.size(), 1);
        QVERIFY(read.isEmpty());
        const QString message = failed.first().first().toString();
        QVERIFY2(message.contains(server.url() + u"/api/v1/query"_s), qPrintable(message));
        for (const QString &part : expected)
            QVERIFY2(message.contains(part), qPrintable(message));
    }

    void capsTheAnswerSize() {
        FakePrometheus server;
        const QByteArray big = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
                               "\"result\":[]},\"pad\":\"" +
                               QByteArray(200'000, 'x') + "\"}";
        server.answer = [&](const QByteArray &) { return Response{200, big}; };
        QVERIFY(server.listen(QHostAddress::LocalHost));
        FleetReader reader(sourceFor(server), {});
        reader.setMaxResponseBytes(100'000);
        QSignalSpy read(&reader, &FleetReader::latestRead);
        QSignalSpy failed(&reader, &FleetReader::readFailed);
        reader.readLatest();
        QTRY_COMPARE(failed.size(), 1);
        QVERIFY(read.isEmpty());
        QVERIFY2(failed.first().first().toString().contains(u"larger than"_s),
                 qPrintable(failed.first().first().toString()));
    }

    // A Prometheus that accepts and never answers: one readFailed, naming the URL.
    void silentServerEndsInReadFailed() {
        FakePrometheus server;
        server.answer = [](const QByteArray &) { return Response{200, {}, true}; };
        QVERIFY(server.listen(QHostAddress::LocalHost));
        FleetReader reader(sourceFor(server), {});
        reader.setTimeout(std::chrono::milliseconds(300));
        QSignalSpy read(&reader, &FleetReader::latestRead);
        QSignalSpy failed(&reader, &FleetReader::readFailed);
        reader.readLatest();
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 20000);
        QVERIFY(read.isEmpty());
        const QString message = failed.first().first().toString();
        QVERIFY2(message.contains(server.url() + u"/api/v1/query"_s), qPrintable(message));
        QVERIFY2(message.contains(u"no answer within 0.3 s"_s), qPrintable(message));
        QCOMPARE(reader.readsInFlight(), 0);
    }

    void historyNeedsALatestReadFirst() {
        FakePrometheus server;
        server.answer = [](const QByteArray &) { return Response{200, kEmptyVector}; };
        QVERIFY(server.listen(QHostAddress::LocalHost));
        FleetReader reader(sourceFor(server), {});
        QSignalSpy failed(&reader, &FleetReader::readFailed);
        reader.readHistory(u"x|443||0||"_s, u"127.0.0.1"_s,
                           QDateTime::currentDateTimeUtc().addDays(-1),
                           QDateTime::currentDateTimeUtc());
        QTRY_COMPARE(failed.size(), 1);
        QVERIFY(server.requests.isEmpty());
    }

    void historyAsksQueryRange() {
        FakePrometheus server;
        const QByteArray matrix =
            "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
            "{\"metric\":{\"__name__\":\"probe_success\"},\"values\":[[1700000000,\"0\"]]}]}}";
        server.answer = [&](const QByteArray &line) {
            if (line.contains("query_range"))
                return Response{200, matrix};
            return Response{200, line.contains("timestamp%28") ? kEmptyVector : oneProbe()};
        };
        QVERIFY(server.listen(QHostAddress::LocalHost));
        FleetReader reader(sourceFor(server), {});
        QSignalSpy read(&reader, &FleetReader::latestRead);
        QSignalSpy history(&reader, &FleetReader::historyRead);
        reader.readLatest();
        QTRY_COMPARE(read.size(), 1);
        const ProbeResult row = read.first().first().value<QList<ProbeResult>>().first();
        reader.readHistory(endpointKey(row.target), row.address,
                           QDateTime::fromSecsSinceEpoch(1699990000, Qt::UTC),
                           QDateTime::fromSecsSinceEpoch(1700010000, Qt::UTC));
        QTRY_COMPARE(history.size(), 1);
        QVERIFY(server.requests.last().startsWith("GET /api/v1/query_range?query="));
        QVERIFY(server.requests.last().contains("instance%3D%22127.0.0.1%3A1%22"));
        const auto points = history.first().at(2).value<QList<HistoryPoint>>();
        QCOMPARE(points.size(), 1);
        QCOMPARE(points.first().status, Status::Unreachable);
    }
};

QTEST_GUILESS_MAIN(TestFleetReader)
#include "tst_fleetreader.moc"
