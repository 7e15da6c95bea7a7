// Reading N fleet series into the window (bar at 10,000: rows shown in under 1 s, no UI stall
// over 50 ms): the real window (offscreen) with one Prometheus in Settings > Fleet, and the tray
// integration that feeds fleet rows to the alert tracker. The "Prometheus" is the tests' stand-in
// (tests/support/PrometheusStandIn.h) on loopback, in a thread of its own, answering with what
// Prometheus 2.42 answers for CertDash's fleet; each read brings newer probe samples. Prints the
// time from the read's start until the rows show, and the largest gap between ticks of a 5 ms
// timer meanwhile (and until the alert tracker has had every row), for a first read (rows
// appear) and a second (the same rows, newer data), then for a reload of the store while the
// fleet rows show (the store's rows and the fleet rows prepared together in the reader's
// thread). With --stored, the N endpoints are in the window's own inventory too: each fleet row
// then stands for a stored target, is judged by its thresholds and goes through the alert
// tracker (10,000 new alert states written at the first read).
// Not a test: prints figures. Usage: certdash_bench_fleet_rows [N=10000] [--stored]
// With an argument DIR (and a small N) it instead saves DIR/fleet-rows.png (the table with
// fleet rows and own rows of the same endpoints) and DIR/settings-fleet.png (Settings > Fleet):
// the README's pictures, taken under Xvfb (QT_QPA_PLATFORM=xcb) or offscreen.
#include "PrometheusStandIn.h"
#include "alerts/AlertService.h"
#include "tray/TrayIntegration.h"
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

using namespace certdash::test;

namespace {
// Times every event the UI thread delivers, so that a stall can be named (what received it).
class TimedApplication : public QApplication {
public:
    using QApplication::QApplication;
    struct Slow {
        qint64 ms;
        QString what;
    };
    QList<Slow> slow; // events over 20 ms, since the last clear
    bool notify(QObject *receiver, QEvent *event) override {
        if (QThread::currentThread() != thread())
            return QApplication::notify(receiver, event);
        QElapsedTimer timer;
        timer.start();
        const QString name = QString::fromLatin1(receiver->metaObject()->className());
        const int type = int(event->type());
        ++depth;
        const bool done = QApplication::notify(receiver, event);
        --depth;
        if (const qint64 ms = timer.elapsed(); ms > 20 && depth == 0)
            slow << Slow{ms, QStringLiteral("%1 (event %2)").arg(name).arg(type)};
        return done;
    }
    int depth = 0;
};

struct Figures {
    qint64 shownMs = -1;
    qint64 worstGap = 0;
    qint64 over50 = 0;
    QString slowest; // the UI thread's events over 20 ms meanwhile
};

// The UI thread's longest gap while `start` runs and until `done` fires (plus the repaint after).
template <typename Sender, typename Signal>
Figures measure(const Sender *sender, Signal done, const std::function<void()> &start) {
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
    QObject::connect(sender, done, &loop, [&] {
        f.shownMs = total.elapsed();
        QTimer::singleShot(300, &loop, &QEventLoop::quit);
    });
    auto *app = static_cast<TimedApplication *>(qApp);
    app->slow.clear();
    total.start();
    sinceTick.start();
    ticker.start(5);
    start();
    QTimer::singleShot(60000, &loop, &QEventLoop::quit);
    loop.exec();
    f.worstGap = worst;
    f.over50 = over50;
    for (const TimedApplication::Slow &slow : std::as_const(app->slow))
        f.slowest += QStringLiteral("\n                    event of %1 ms in %2").arg(slow.ms).arg(slow.what);
    return f;
}

} // namespace

int main(int argc, char **argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    TimedApplication app(argc, argv);
    QString shots;
    int n = 10000;
    bool stored = false;
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        bool number = false;
        const int value = arg.toInt(&number);
        if (number)
            n = value;
        else if (arg == "--stored")
            stored = true;
        else
            shots = QString::fromLocal8Bit(arg);
    }
    QTextStream out(stdout);

    PrometheusStandIn prometheus(benchFleet(n));
    if (prometheus.url().isEmpty()) {
        out << "cannot listen\n";
        return 1;
    }

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
    if (stored) {
        SystemClock clock;
        TargetRepository repository(*db, clock);
        QList<Target> targets;
        for (int i = 0; i < n; ++i) {
            Target t;
            t.host = QStringLiteral("h%1.bench.test").arg(i, 5, 10, QLatin1Char('0'));
            t.name = t.host; // the fleet's target label
            t.sni = t.host;
            t.owner = QStringLiteral("team %1").arg(i % 40);
            t.tags = {QStringLiteral("bench"), QStringLiteral("zone%1").arg(i % 7)};
            targets << t;
        }
        if (!repository.importTargets(targets, &error)) {
            out << "setup failed: " << error << "\n";
            return 1;
        }
    }
    Settings settings(dir.filePath(QStringLiteral("fleet.ini")));
    Settings::Values values;
    values.probeIntervalMinutes = 0;
    FleetSourceSettings source;
    source.url = prometheus.url();
    source.readIntervalSeconds = 3600; // only the reads measured
    values.fleetSources = {source};
    settings.store(values);
    MainWindow window(*db, settings);
    window.resize(1280, 800);
    window.show();
    // The alert tracker as CertDash runs it: the tray integration feeds it the fleet rows that
    // stand for stored targets, a part per event.
    TrayIntegration tray(window, *db, settings, std::make_shared<SystemClock>());
    int alerted = 0;
    QObject::connect(window.fleetFeed(), &FleetFeed::alertRows,
                     [&](const QList<ProbeResult> &rows) { alerted += int(rows.size()); });
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
        return 0;
    }
    window.model()->removeFleetSource(source.url); // the first measured read adds every row

    out << "fleet series read:  " << n << " endpoints (" << prometheus.metricsBytes() / 1024
        << " KiB of metrics)" << (stored ? ", each a stored target too" : "") << "\n";
    const auto read = [&] { window.fleetFeed()->readAll(); };
    const Figures first = measure(window.fleetFeed(), &FleetFeed::rowsShown, read);
    out << "first read:         rows shown after " << first.shownMs << " ms; worst UI stall "
        << first.worstGap << " ms; gaps over 50 ms: " << first.over50 << first.slowest << "\n";
    const Figures second = measure(window.fleetFeed(), &FleetFeed::rowsShown, read);
    out << "second read:        rows shown after " << second.shownMs << " ms; worst UI stall "
        << second.worstGap << " ms; gaps over 50 ms: " << second.over50 << second.slowest << "\n";
    const Figures reload =
        measure(&window, &MainWindow::inventoryLoaded, [&] { window.reload(); });
    out << "store reloaded:     table shown after " << reload.shownMs << " ms; worst UI stall "
        << reload.worstGap << " ms; gaps over 50 ms: " << reload.over50 << reload.slowest << "\n";
    out << "rows in the table:  " << window.model()->rowCount() << " (fleet rows through the "
        << "alert tracker: " << alerted << ")\n";
    return 0;
}
