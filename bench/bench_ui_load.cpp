// How long the dashboard's event loop stalls while the window loads a large store: opens the real
// window (offscreen) on a database that certdash_bench_store kept (100,000 target addresses with
// history), and records the gaps between ticks of a 5 ms timer from before the window is built
// until the table shows every row. Not a test: prints figures.
// Usage: certdash_bench_store --keep DIR; certdash_bench_ui_load DIR/bench_store.sqlite
#include "models/EndpointFilterProxy.h"
#include "models/EndpointTableModel.h"
#include "monitor/InventoryLoader.h"
#include "storage/Database.h"
#include "storage/Settings.h"
#include "widgets/MainWindow.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <algorithm>
#include <memory>

using namespace certdash;

int main(int argc, char **argv) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QTextStream out(stdout);
    if (argc < 2) {
        out << "usage: certdash_bench_ui_load DATABASE (made by certdash_bench_store --keep DIR)\n";
        return 3;
    }
    QString error;
    auto db = Database::open(QString::fromLocal8Bit(argv[1]), &error);
    if (!db) {
        out << error << "\n";
        return 1;
    }
    QTemporaryDir dir;
    Settings settings(dir.filePath(QStringLiteral("load.ini")));
    Settings::Values values;
    values.probeIntervalMinutes = 0;
    settings.store(values);

    QElapsedTimer sinceTick;
    QList<qint64> gaps;
    QStringList longGaps; // when they ended, to tell the window's construction from the swap
    QElapsedTimer total;
    QTimer ticker;
    ticker.setTimerType(Qt::PreciseTimer);
    QObject::connect(&ticker, &QTimer::timeout, [&] {
        gaps << sinceTick.restart();
        if (gaps.last() > 50)
            longGaps
                << QStringLiteral("%1 ms ending at %2 ms").arg(gaps.last()).arg(total.elapsed());
    });
    std::unique_ptr<MainWindow> window;
    qint64 constructed = 0;
    qint64 shown = 0;
    QEventLoop loop;
    qint64 constructionGap = -1; // the gap that holds the constructor: start-up, not loading
    qint64 swapGap = -1;         // the gap that holds the swap of the rows
    QElapsedTimer swapTimer;
    qint64 swapMs = -1; // from the snapshot's delivery to inventoryLoaded: the whole swap
    struct Deliveries : QObject {
        QElapsedTimer *timer = nullptr;
        bool eventFilter(QObject *, QEvent *event) override {
            if (event->type() == QEvent::MetaCall)
                timer->start();
            return false;
        }
    } deliveries;
    deliveries.timer = &swapTimer;
    QTimer::singleShot(0, [&] {
        // The window is built inside the measured event loop, as at start-up.
        window = std::make_unique<MainWindow>(*db, settings);
        constructed = total.elapsed();
        constructionGap = gaps.size();
        // The snapshot reaches the window as a queued call on the loader: the swap's event.
        window->findChild<InventoryLoader *>()->installEventFilter(&deliveries);
        QObject::connect(window.get(), &MainWindow::inventoryLoaded, &loop, [&] {
            shown = total.elapsed();
            swapMs = swapTimer.isValid() ? swapTimer.elapsed() : -1;
            swapGap = gaps.size();
            // A few more ticks: the table's first paint after the swap belongs to the load.
            QTimer::singleShot(300, &loop, &QEventLoop::quit);
        });
        window->show();
    });
    total.start();
    sinceTick.start();
    ticker.start(5);
    loop.exec();
    ticker.stop();
    const qint64 swap = swapGap >= 0 && swapGap < gaps.size() ? gaps.at(swapGap) : -1;
    qint64 afterSwap = 0; // the first paint of the new rows, and anything else until the end
    for (qsizetype i = swapGap + 1; swapGap >= 0 && i < gaps.size(); ++i)
        afterSwap = std::max(afterSwap, gaps.at(i));
    const qint64 construction = constructionGap < gaps.size() ? gaps.takeAt(constructionGap) : 0;
    std::sort(gaps.begin(), gaps.end());
    const qint64 worst = gaps.isEmpty() ? 0 : gaps.last();
    const qint64 over50 = std::count_if(gaps.begin(), gaps.end(), [](qint64 g) { return g > 50; });
    const qint64 p99 = gaps.isEmpty() ? 0 : gaps.at(int(gaps.size() * 0.99));
    out << "rows:               " << window->model()->rowCount() << "\n"
        << "window built:       " << constructed << " ms after start (that event-loop gap, "
        << construction << " ms, is start-up: Qt's first widgets, the trust store)\n"
        << "table shown:        " << shown << " ms after start\n"
        << "gaps while loading: " << gaps.size() << " ticks of 5 ms; p99 " << p99 << " ms; worst "
        << worst << " ms; over 50 ms: " << over50 << "\n"
        << "swap:               the gap holding it " << swap << " ms (delivery to inventoryLoaded "
        << swapMs << " ms); longest gap after it (first paint) " << afterSwap << " ms\n";
    for (const QString &gap : std::as_const(longGaps))
        out << "  gap " << gap << "\n";
    return 0;
}
