// How long the dashboard's event loop stalls while it scans an estate: opens the real window
// (offscreen) on a fresh store holding the given targets, presses Probe all, and records the
// largest gap between ticks of a 5 ms timer until the scan is done. Not a test: prints figures.
// Usage: certdash_bench_ui_stall TARGETS.txt ROOT.pem   (bench/ui_stall.sh prepares both)
#include "inventory/TargetParser.h"
#include "models/EndpointTableModel.h"
#include "monitor/ScanController.h"
#include "probing/TrustStore.h"
#include "storage/Database.h"
#include "storage/Settings.h"
#include "storage/TargetRepository.h"
#include "widgets/MainWindow.h"

#include <QAction>
#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <algorithm>

using namespace certdash;

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QTextStream out(stdout);
    if (argc < 3) {
        out << "usage: certdash_bench_ui_stall TARGETS.txt ROOT.pem\n";
        return 3;
    }
    QTemporaryDir dir;
    QString error;
    auto db = Database::open(dir.filePath(QStringLiteral("stall.sqlite")), &error);
    const ParsedTargets parsed = readTargetsFile(QString::fromLocal8Bit(argv[1]));
    SystemClock clock;
    if (!db || !parsed.ok() || !TargetRepository(*db, clock).importTargets(parsed.targets, &error)) {
        out << "setup failed: " << error << "\n";
        return 1;
    }
    Settings settings(dir.filePath(QStringLiteral("stall.ini")));
    Settings::Values values;
    values.probeIntervalMinutes = 0;
    values.trustAnchorFiles = {QString::fromLocal8Bit(argv[2])};
    settings.store(values);
    MainWindow window(*db, settings);
    window.show();

    QElapsedTimer sinceTick;
    QList<qint64> gaps;
    QTimer ticker;
    ticker.setTimerType(Qt::PreciseTimer);
    QObject::connect(&ticker, &QTimer::timeout, [&] {
        gaps << sinceTick.restart();
    });
    QEventLoop loop;
    QObject::connect(window.scanController(), &ScanController::finished, &loop, &QEventLoop::quit);
    QElapsedTimer total;
    total.start();
    sinceTick.start();
    ticker.start(5);
    window.probeAllAction()->trigger();
    loop.exec();
    ticker.stop();
    std::sort(gaps.begin(), gaps.end());
    const qint64 worst = gaps.isEmpty() ? 0 : gaps.last();
    const qint64 over50 = std::count_if(gaps.begin(), gaps.end(), [](qint64 g) { return g > 50; });
    const qint64 p99 = gaps.isEmpty() ? 0 : gaps.at(int(gaps.size() * 0.99));
    out << "endpoints:          " << window.model()->rowCount() << "\n"
        << "scan:               " << total.elapsed() << " ms\n"
        << "event-loop gaps:    " << gaps.size() << " ticks of 5 ms; p99 " << p99
        << " ms; worst " << worst << " ms; over 50 ms: " << over50 << "\n";
    return 0;
}
