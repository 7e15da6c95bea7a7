// Reading N fleet series into the window (bar at 10,000: rows shown in under 1 s, no UI stall
// over 50 ms): the real window (offscreen) with one Prometheus in Settings > Fleet. The
// "Prometheus" is a stand-in on loopback, in a thread of its own, answering /api/v1/query with
// what Prometheus 2.42 answers for CertDash's fleet (the series `certdash fleet config` labels:
// probe_success, probe_ssl_earliest_cert_expiry, probe_ssl_last_chain_info,
// probe_tls_version_info, probe_duration_seconds, and timestamp(probe_success)), built once
// before timing. Prints the time from the read's start until the rows show, and the largest gap
// between ticks of a 5 ms timer meanwhile, for a first read (rows appear) and a second (the same
// rows, newer data). Not a test: prints figures. Usage: certdash_bench_fleet_rows [N=10000]
// With a second argument DIR (and a small N) it instead saves DIR/fleet-rows.png (the table with
// fleet rows and own rows of the same endpoints) and DIR/settings-fleet.png (Settings > Fleet):
// the README's pictures, taken under Xvfb (QT_QPA_PLATFORM=xcb) or offscreen.
#include "models/EndpointTableModel.h"
#include "storage/Database.h"
#include "storage/Settings.h"
#include "storage/TargetRepository.h"
#include "widgets/FleetFeed.h"
#include "widgets/FleetSettings.h"
#include "widgets/MainWindow.h"
#include "widgets/SettingsDialog.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QScrollArea>
#include <QTableView>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>
#include <QTimer>

#include <algorithm>

using namespace certdash;

namespace {
QJsonObject sample(QJsonObject labels, double value, qint64 at) {
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

// Both answers for n endpoints, as of `now` (every probe 10 s old).
QPair<QByteArray, QByteArray> answers(int n, qint64 now) {
    QJsonArray metrics, times;
    for (int i = 0; i < n; ++i) {
        const QString host = QStringLiteral("h%1.bench.test").arg(i, 5, 10, QLatin1Char('0'));
        QJsonObject labels{{QStringLiteral("job"), QStringLiteral("certdash_tls")},
                           {QStringLiteral("instance"), host + QStringLiteral(":443")},
                           {QStringLiteral("target"), host},
                           {QStringLiteral("host"), host},
                           {QStringLiteral("port"), QStringLiteral("443")},
                           {QStringLiteral("sni"), host},
                           {QStringLiteral("owner"), QStringLiteral("team %1").arg(i % 40)},
                           {QStringLiteral("tags"), QStringLiteral("bench,zone%1").arg(i % 7)}};
        const qint64 expiry = now + qint64(i % 400 - 20) * 86400;
        const auto named = [&](const QString &name) {
            QJsonObject l = labels;
            l.insert(QStringLiteral("__name__"), name);
            return l;
        };
        metrics << sample(named(QStringLiteral("probe_success")), 1, now);
        metrics << sample(named(QStringLiteral("probe_ssl_earliest_cert_expiry")), double(expiry),
                          now);
        metrics << sample(named(QStringLiteral("probe_duration_seconds")), 0.012, now);
        QJsonObject chain = named(QStringLiteral("probe_ssl_last_chain_info"));
        chain.insert(QStringLiteral("fingerprint_sha256"),
                     QStringLiteral("%1").arg(i, 64, 16, QLatin1Char('a')));
        chain.insert(QStringLiteral("subject"), QStringLiteral("CN=") + host);
        chain.insert(QStringLiteral("issuer"), QStringLiteral("CN=Bench CA,O=Bench"));
        chain.insert(QStringLiteral("subjectalternative"), host);
        metrics << sample(chain, 1, now);
        QJsonObject version = named(QStringLiteral("probe_tls_version_info"));
        version.insert(QStringLiteral("version"), QStringLiteral("TLS 1.3"));
        metrics << sample(version, 1, now);
        times << sample(labels, double(now - 10), now);
    }
    return {vector(metrics), vector(times)};
}

// Answers each GET on its own thread: the sample times for timestamp(...), else the metrics.
class StandIn : public QTcpServer {
public:
    QByteArray metrics, times;
    StandIn() {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = nextPendingConnection()) {
                auto *request = new QByteArray;
                connect(s, &QTcpSocket::readyRead, s, [s, request, this] {
                    request->append(s->readAll());
                    if (!request->contains("\r\n\r\n"))
                        return;
                    const QByteArray line = request->left(request->indexOf("\r\n"));
                    const QByteArray &body =
                        line.contains("=timestamp") ? times : metrics; // the query starts so
                    s->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                             "Content-Length: " +
                             QByteArray::number(body.size()) + "\r\n\r\n");
                    s->write(body);
                    request->clear();
                });
                connect(s, &QTcpSocket::disconnected, s, [s, request] {
                    delete request;
                    s->deleteLater();
                });
            }
        });
    }
};

struct Figures {
    qint64 shownMs = -1;
    qint64 worstGap = 0;
    qint64 over50 = 0;
};

Figures measure(MainWindow &window) {
    QElapsedTimer sinceTick;
    qint64 worst = 0, over50 = 0;
    QTimer ticker;
    ticker.setTimerType(Qt::PreciseTimer);
    QObject::connect(&ticker, &QTimer::timeout, [&] {
        const qint64 gap = sinceTick.restart();
        worst = std::max(worst, gap);
        over50 += gap > 50;
    });
    QEventLoop loop;
    Figures f;
    QElapsedTimer total;
    QObject::connect(window.fleetFeed(), &FleetFeed::rowsShown, &loop, [&] {
        f.shownMs = total.elapsed();
        // The repaint that follows counts too.
        QTimer::singleShot(300, &loop, &QEventLoop::quit);
    });
    total.start();
    sinceTick.start();
    ticker.start(5);
    window.fleetFeed()->readAll();
    QTimer::singleShot(60000, &loop, &QEventLoop::quit);
    loop.exec();
    f.worstGap = worst;
    f.over50 = over50;
    return f;
}
} // namespace

int main(int argc, char **argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const QString shots = argc > 2 ? QString::fromLocal8Bit(argv[2]) : QString();
    QTextStream out(stdout);
    const int n = argc > 1 ? QByteArray(argv[1]).toInt() : 10000;

    QThread serverThread;
    StandIn server;
    const auto [metrics, times] = answers(n, QDateTime::currentSecsSinceEpoch());
    server.metrics = metrics;
    server.times = times;
    if (!server.listen(QHostAddress::LocalHost)) {
        out << "cannot listen\n";
        return 1;
    }
    server.moveToThread(&serverThread);
    serverThread.start();

    QTemporaryDir dir;
    QString error;
    auto db = Database::open(dir.filePath(QStringLiteral("fleet.sqlite")), &error);
    if (!db) {
        out << "setup failed: " << error << "\n";
        return 1;
    }
    if (!shots.isEmpty()) {
        // Three of the fleet's endpoints are in the window's own inventory too.
        SystemClock clock;
        TargetRepository repository(*db, clock);
        for (int i : {0, 1, 2}) {
            Target t;
            t.host = QStringLiteral("h%1.bench.test").arg(i, 5, 10, QLatin1Char('0'));
            t.sni = t.host;
            t.owner = QStringLiteral("team %1").arg(i % 40);
            t.tags = {QStringLiteral("bench"), QStringLiteral("zone%1").arg(i % 7)};
            repository.add(t, &error);
        }
    }
    Settings settings(dir.filePath(QStringLiteral("fleet.ini")));
    Settings::Values values;
    values.probeIntervalMinutes = 0;
    FleetSourceSettings source;
    source.url = QStringLiteral("http://127.0.0.1:%1").arg(server.serverPort());
    source.readIntervalSeconds = 3600; // only the reads measured
    values.fleetSources = {source};
    settings.store(values);
    MainWindow window(*db, settings);
    window.resize(1280, 800);
    window.show();
    // The read the window starts by itself, out of the way first.
    {
        QEventLoop loop;
        QObject::connect(window.fleetFeed(), &FleetFeed::rowsShown, &loop, &QEventLoop::quit);
        QTimer::singleShot(60000, &loop, &QEventLoop::quit);
        loop.exec();
    }
    if (!shots.isEmpty()) {
        QEventLoop settle;
        QTimer::singleShot(500, &settle, &QEventLoop::quit);
        settle.exec();
        for (int row = 0; row < window.model()->rowCount(); ++row) {
            if (EndpointTableModel::isFleetRow(window.model()->resultAt(row))) {
                out << "first fleet row: " << statusKey(window.model()->resultAt(row).status) << " "
                    << window.model()->resultAt(row).error << "\n";
                break;
            }
        }
        out.flush();
        // The Source column beside the target, for the picture (the user can move it too).
        auto *table = window.findChild<QTableView *>(QStringLiteral("endpoints"));
        table->horizontalHeader()->moveSection(EndpointTableModel::SourceColumn, 2);
        table->sortByColumn(EndpointTableModel::TargetColumn, Qt::AscendingOrder);
        QTimer::singleShot(300, &settle, &QEventLoop::quit);
        settle.exec();
        window.grab().save(shots + QStringLiteral("/fleet-rows.png"));
        SettingsDialog dialog(&window);
        FleetSourceSettings second;
        second.url = QStringLiteral("https://prometheus.eu-west.example:9090");
        second.auth = QStringLiteral("bearer");
        second.caFile = QString();
        second.readIntervalSeconds = 120;
        Settings::Values v = settings.values();
        v.fleetSources << second;
        dialog.setValues(v);
        dialog.resize(dialog.width(), 700);
        dialog.show();
        auto *scroll = dialog.findChild<QScrollArea *>(QStringLiteral("settingsScroll"));
        scroll->ensureWidgetVisible(dialog.fleet());
        QTimer::singleShot(300, &settle, &QEventLoop::quit);
        settle.exec();
        dialog.grab().save(shots + QStringLiteral("/settings-fleet.png"));
        serverThread.quit();
        serverThread.wait();
        return 0;
    }
    window.model()->removeFleetSource(source.url); // the first measured read adds every row

    out << "fleet series read:  " << n << " endpoints (" << metrics.size() / 1024
        << " KiB of metrics)\n";
    const Figures first = measure(window);
    out << "first read:         rows shown after " << first.shownMs << " ms; worst UI stall "
        << first.worstGap << " ms; gaps over 50 ms: " << first.over50 << "\n";
    const Figures second = measure(window);
    out << "second read:        rows shown after " << second.shownMs << " ms; worst UI stall "
        << second.worstGap << " ms; gaps over 50 ms: " << second.over50 << "\n";
    out << "rows in the table:  " << window.model()->rowCount() << "\n";
    serverThread.quit();
    serverThread.wait();
    return 0;
}
