// The charts in the real window, offscreen, on a seeded temporary store: the expiry timeline of
// the selected row and the estate tab (calendar bars, rotation health points, clicks that filter
// or select table rows, PNG export). Week buckets are local weeks: the suite runs in
// Europe/Berlin, where pinnedNow() (Sunday 2026-03-15) is two weeks before a DST change.
#include "ChartFixtures.h"
#include "TestSupport.h"
#include "charts/EstateCharts.h"
#include "charts/ExpiryTimelineChart.h"
#include "charts/TimelineData.h"
#include "models/EndpointTableModel.h"
#include "monitor/ScanController.h"
#include "storage/Database.h"
#include "storage/HistoryRepository.h"
#include "storage/Settings.h"
#include "storage/TargetRepository.h"
#include "widgets/DetailsPane.h"
#include "widgets/MainWindow.h"

#include <QApplication>
#include <QImage>
#include <QItemSelectionModel>
#include <QPushButton>
#include <QSet>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolTip>

#include <functional>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

namespace {
double ms(const QDateTime &t) {
    return double(t.toMSecsSinceEpoch());
}

double sum(const QList<double> &values) {
    double total = 0;
    for (double v : values)
        total += v;
    return total;
}
} // namespace

class TestCharts : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<MainWindow> m_window;
    QTableView *m_table = nullptr;
    // The seeded certificates the checks refer to.
    CertificateInfo m_sawCurrent;
    CertificateInfo m_lbStuck;

    Target addTarget(const QString &host, const QStringList &addresses,
                     std::optional<int> rotation = std::nullopt, const QStringList &tags = {}) {
        FixedClock clock(pinnedNow());
        Target t;
        t.host = host;
        t.addresses = addresses;
        t.rotationDays = rotation;
        t.tags = tags;
        QString error;
        if (!TargetRepository(*m_db, clock).add(t, &error))
            qFatal("%s", qPrintable(error));
        return t;
    }

    // Daily probes of one address from `days` days ago until now; serving(at) is the leaf then,
    // a null one for a timeout.
    void recordDaily(const Target &t, const QString &address, int days,
                     const std::function<CertificateInfo(const QDateTime &)> &serving) {
        QList<ProbeResult> results;
        for (int d = -days; d <= 0; ++d) {
            const QDateTime at = daysFromNow(d);
            const CertificateInfo leaf = serving(at);
            ProbeResult r = leaf.isNull()
                                ? failedResult(at, Status::Timeout, address)
                                : resultFor(leaf, at, address, t,
                                            t.rotationDays ? ExpiryPolicy{30, 7, t.rotationDays}
                                                           : ExpiryPolicy{});
            r.target = t;
            results << r;
        }
        QString error;
        if (!HistoryRepository(*m_db).record(results, &error))
            qFatal("%s", qPrintable(error));
    }

    int rowOf(const QString &host, const QString &address) const {
        const QAbstractItemModel *model = m_table->model();
        for (int row = 0; row < model->rowCount(); ++row) {
            if (model->index(row, EndpointTableModel::TargetColumn)
                    .data()
                    .toString()
                    .startsWith(host + u':') &&
                model->index(row, EndpointTableModel::AddressColumn).data().toString() == address)
                return row;
        }
        return -1;
    }

    ExpiryTimelineChart *selectAndShowTimeline(const QString &host, const QString &address) {
        const int row = rowOf(host, address);
        if (row < 0)
            return nullptr;
        m_table->selectRow(row);
        ExpiryTimelineChart *chart = m_window->details()->timeline();
        for (QTabWidget *tabs : m_window->details()->findChildren<QTabWidget *>()) {
            if (tabs->indexOf(chart) >= 0)
                tabs->setCurrentWidget(chart);
        }
        return chart;
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QString error;
        m_db = Database::open(m_dir.filePath(u"charts.sqlite"_s), &error);
        QVERIFY2(m_db, qPrintable(error));
        FixedClock clock(pinnedNow());
        QVERIFY(TargetRepository(*m_db, clock)
                    .setTagPolicy({u"edge"_s, std::nullopt, std::nullopt, 45}, &error));

        // Renewed every 30 days, three rotations in 100 days.
        const Target saw = addTarget(u"saw.test"_s, {u"127.0.0.1"_s});
        QList<CertificateInfo> saws;
        for (int k = 0; k < 4; ++k)
            saws << syntheticCert(u"saw%1"_s.arg(k), daysFromNow(-100 + 30 * k), 90);
        m_sawCurrent = saws.last();
        recordDaily(saw, u"127.0.0.1"_s, 100, [&](const QDateTime &at) {
            return saws.at(std::min(int(daysFromNow(-100).daysTo(at) / 30), 3));
        });
        // Its own 30-day rotation period; not renewed for 50 days.
        const Target stuck = addTarget(u"stuck.test"_s, {u"127.0.0.3"_s}, 30);
        const CertificateInfo stuckCert = syntheticCert(u"stuck"_s, daysFromNow(-50), 90);
        recordDaily(stuck, u"127.0.0.3"_s, 40, [&](const QDateTime &) { return stuckCert; });
        // Two backends behind one name, rotation from the "edge" tag (45 days); one backend
        // kept the old certificate.
        const Target lb =
            addTarget(u"lb.test"_s, {u"127.0.0.4"_s, u"127.0.0.5"_s}, std::nullopt, {u"edge"_s});
        const CertificateInfo lbOld = syntheticCert(u"lb-old"_s, daysFromNow(-75), 90);
        const CertificateInfo lbNew = syntheticCert(u"lb-new"_s, daysFromNow(-15), 90);
        m_lbStuck = lbOld;
        recordDaily(lb, u"127.0.0.4"_s, 30,
                    [&](const QDateTime &at) { return at < lbNew.notBefore ? lbOld : lbNew; });
        recordDaily(lb, u"127.0.0.5"_s, 30, [&](const QDateTime &) { return lbOld; });
        // A 6-day certificate issued yesterday.
        const Target shortLived = addTarget(u"short.test"_s, {u"127.0.0.6"_s});
        const CertificateInfo six = syntheticCert(u"six"_s, daysFromNow(-1), 6);
        recordDaily(shortLived, u"127.0.0.6"_s, 1, [&](const QDateTime &) { return six; });
        // Expired five days ago; and a host that stopped answering.
        const Target old = addTarget(u"old.test"_s, {u"127.0.0.7"_s});
        const CertificateInfo oldCert = syntheticCert(u"old"_s, daysFromNow(-95), 90);
        recordDaily(old, u"127.0.0.7"_s, 10, [&](const QDateTime &) { return oldCert; });
        const Target gone = addTarget(u"gone.test"_s, {u"127.0.0.8"_s});
        recordDaily(gone, u"127.0.0.8"_s, 3, [](const QDateTime &) { return CertificateInfo{}; });

        m_settings = std::make_unique<Settings>(m_dir.filePath(u"charts.ini"_s));
        Settings::Values values;
        values.probeIntervalMinutes = 0; // nothing probes in this test
        QVERIFY(m_settings->store(values).isEmpty());
        m_window = std::make_unique<MainWindow>(*m_db, *m_settings);
        ProbeOptions options = m_window->scanController()->probeOptions();
        options.clock = std::make_shared<FixedClock>(pinnedNow());
        m_window->scanController()->setProbeOptions(options);
        m_window->reload();
        m_window->resize(1200, 800);
        m_window->show();
        m_table = m_window->findChild<QTableView *>(u"endpoints"_s);
        QVERIFY(m_table);
        // The window loads the store in its reader thread.
        QTRY_COMPARE(m_table->model()->rowCount(), 7);
        QTRY_VERIFY(!m_window->isLoading());
    }

    void timelineOfASawTooth() {
        ExpiryTimelineChart *chart = selectAndShowTimeline(u"saw.test"_s, u"127.0.0.1"_s);
        QVERIFY(chart);
        QCOMPARE(chart->seriesPoints(u"history"_s).size(), 101);
        QCOMPARE(chart->seriesPoints(u"rotations"_s).size(), 3);
        QCOMPARE(chart->seriesPoints(u"failures"_s).size(), 0);
        QCOMPARE(chart->seriesPoints(u"band.upper"_s).first().y(), 90.0);
        QCOMPARE(chart->seriesPoints(u"band.lower"_s).first().y(), 30.0);
        QVERIFY(chart->legendNames().contains(u"Rotation band (default)"_s));
        QCOMPARE(chart->seriesPoints(u"warning"_s).first().y(), 30.0);
        QCOMPARE(chart->seriesPoints(u"critical"_s).first().y(), 7.0);
        QCOMPARE(
            chart->seriesPoints(u"validity"_s),
            (QList<QPointF>{{ms(m_sawCurrent.notBefore), 90}, {ms(m_sawCurrent.notAfter), 0}}));
        QCOMPARE(chart->seriesPoints(u"projection"_s),
                 (QList<QPointF>{{ms(pinnedNow()), 80}, {ms(m_sawCurrent.notAfter), 0}}));
        QCOMPARE(chart->seriesPoints(u"now"_s).first().x(), ms(pinnedNow()));
        // Hovering the third rotation names it, with the new certificate's fingerprint.
        const int rotation = chart->timeline().rotations.at(2);
        QVERIFY(chart->toolTipFor(rotation).startsWith(u"Certificate replaced"_s));
        QVERIFY(chart->toolTipFor(rotation).contains(m_sawCurrent.sha256Fingerprint.left(23)));
        QVERIFY(chart->toolTipFor(rotation).contains(u"90 day"_s));

        // With the mouse: hovering the marker shows that tooltip; leaving the chart hides it.
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QTRY_VERIFY(chart->hoverSurface()->isVisible());
        QTest::mouseMove(chart->hoverSurface(), chart->pointPosition(rotation));
        QTRY_VERIFY(QToolTip::isVisible());
        QCOMPARE(QToolTip::text(), chart->toolTipFor(rotation));
        QTest::mouseMove(chart->hoverSurface(), QPoint(2, 2));
        QTRY_VERIFY(!QToolTip::isVisible());
    }

    // The band follows the target's own rotation period, or the one its tag gives.
    void timelineBandFromThePolicy() {
        ExpiryTimelineChart *chart = selectAndShowTimeline(u"stuck.test"_s, u"127.0.0.3"_s);
        QVERIFY(chart);
        QCOMPARE(chart->seriesPoints(u"band.lower"_s).first().y(), 60.0);
        QVERIFY(chart->legendNames().contains(u"Rotation band (every 30 days)"_s));
        QCOMPARE(chart->seriesPoints(u"rotations"_s).size(), 0);

        chart = selectAndShowTimeline(u"lb.test"_s, u"127.0.0.5"_s);
        QVERIFY(chart);
        QCOMPARE(chart->seriesPoints(u"band.lower"_s).first().y(), 45.0);
        // Only this backend's probes: the other address's renewal is not a rotation here.
        QCOMPARE(chart->seriesPoints(u"history"_s).size(), 31);
        QCOMPARE(chart->seriesPoints(u"rotations"_s).size(), 0);
        chart = selectAndShowTimeline(u"lb.test"_s, u"127.0.0.4"_s);
        QCOMPARE(chart->seriesPoints(u"rotations"_s).size(), 1);
    }

    void timelineOfFailures() {
        ExpiryTimelineChart *chart = selectAndShowTimeline(u"gone.test"_s, u"127.0.0.8"_s);
        QVERIFY(chart);
        QCOMPARE(chart->seriesPoints(u"failures"_s).size(), 4);
        QCOMPARE(chart->seriesPoints(u"history"_s).size(), 0);
        QVERIFY(chart->toolTipFor(0).contains(u"Probe failed"_s));
    }

    void calendarBars() {
        auto *views = m_window->findChild<QTabWidget *>(u"views"_s);
        QVERIFY(views);
        views->setCurrentWidget(m_window->estate());
        EstateCharts *estate = m_window->estate();
        const QStringList categories = estate->calendarCategories();
        QCOMPARE(categories.size(), 27);
        // Week 0 is the Berlin week of pinnedNow(): Monday 9 March.
        QCOMPARE(estate->calendar().weeks.first().week, QDate(2026, 3, 9));
        QCOMPARE(categories.at(4), QLocale().toString(QDate(2026, 3, 30), u"d MMM"_s));

        // Expired: old.test. Week 1: the 6-day certificate. Week 3 (Monday 30 March, after the
        // DST change): the stuck backend, warning. Week 6: stuck.test, rotation overdue.
        // Weeks 11 and 12: the renewed backend and saw.test.
        QList<double> expired(27, 0.0), ok(27, 0.0), warning(27, 0.0), overdue(27, 0.0);
        expired[0] = 1;
        ok[1 + 1] = 1;
        warning[1 + 3] = 1;
        overdue[1 + 6] = 1;
        ok[1 + 11] = 1;
        ok[1 + 12] = 1;
        QCOMPARE(estate->barHeights(Status::Expired), expired);
        QCOMPARE(estate->barHeights(Status::Ok), ok);
        QCOMPARE(estate->barHeights(Status::Warning), warning);
        QCOMPARE(estate->barHeights(Status::RotationOverdue), overdue);
        QVERIFY(estate->barHeights(Status::Critical).isEmpty()); // no set for an absent status
        QCOMPARE(estate->calendarSetNames(),
                 (QStringList{statusLabel(Status::Expired), statusLabel(Status::Warning),
                              statusLabel(Status::RotationOverdue), statusLabel(Status::Ok)}));
        QCOMPARE(estate->calendar().withoutCertificate, 1);
        QCOMPARE(sum(ok) + sum(warning) + sum(overdue) + sum(expired), 6.0);

        QVERIFY(estate->barToolTip(Status::Warning, 4).startsWith(statusLabel(Status::Warning)));
        QVERIFY(estate->barToolTip(Status::Warning, 4)
                    .contains(QLocale().toString(QDate(2026, 3, 30), u"d MMM yyyy"_s)));

        // Clicking the warning bar shows just that row; the button above the table undoes it.
        estate->activateBar(Status::Warning, 4);
        QCOMPARE(views->currentIndex(), 0);
        QCOMPARE(m_table->model()->rowCount(), 1);
        QCOMPARE(rowOf(u"lb.test"_s, u"127.0.0.5"_s), 0);
        auto *chip = m_window->findChild<QPushButton *>(u"rowsFilter"_s);
        QVERIFY(chip->isVisible());
        QVERIFY(chip->text().contains(statusLabel(Status::Warning)));
        chip->click();
        QVERIFY(!chip->isVisible());
        QCOMPARE(m_table->model()->rowCount(), 7);
    }

    // Issue 14: the calendar's Y axis counts addresses: whole-number ticks, each label once,
    // however many addresses expire in one week (it read "0, 1, 1, 2, 2, 3, 3, 4, 4").
    void calendarAxisHasWholeDistinctTicks() {
        EstateCharts estate;
        estate.resize(900, 500);
        for (int count : {0, 1, 2, 3, 4, 5, 6, 7, 9, 11, 13, 17, 18, 19, 23, 41, 47, 99, 230}) {
            QList<ProbeResult> results;
            for (int i = 0; i < count; ++i) {
                results << resultFor(syntheticCert(u"many%1"_s.arg(i), daysFromNow(-80), 90),
                                     pinnedNow());
            }
            estate.setResults(
                results, [](const Target &) { return ExpiryPolicy{}; }, ExpiryPolicy{},
                pinnedNow());
            const QStringList labels = estate.calendarAxisLabels();
            QVERIFY2(labels.size() >= 2, qPrintable(labels.join(u", ")));
            QCOMPARE(QSet<QString>(labels.cbegin(), labels.cend()).size(), labels.size());
            QCOMPARE(labels.first(), u"0"_s);
            QVERIFY2(labels.last().toInt() >= count, qPrintable(labels.join(u", ")));
        }
    }

    // The timeline's days axis too, for a certificate of a few days (step 0.5 before).
    void timelineAxisHasWholeDistinctTicks() {
        ExpiryTimelineChart chart;
        chart.resize(900, 300);
        for (double lifetime : {1.0, 2.0, 3.0, 4.5, 6.0, 10.0, 47.0, 90.0, 398.0}) {
            const CertificateInfo cert = syntheticCert(u"short"_s, daysFromNow(-0.5), lifetime);
            const ProbeResult latest = resultFor(cert, pinnedNow());
            chart.setTimeline(
                buildTimeline({reading(daysFromNow(-0.5), cert), reading(pinnedNow(), cert)},
                              latest, ExpiryPolicy{}, pinnedNow()));
            const QStringList labels = chart.axisLabels();
            QVERIFY2(labels.size() >= 2, qPrintable(labels.join(u", ")));
            QCOMPARE(QSet<QString>(labels.cbegin(), labels.cend()).size(), labels.size());
        }
    }

    // Issue 14: every legend entry of the timeline is shown in full, the last one included, at
    // the window's sizes from a laptop to a desktop.
    void timelineLegendIsNeverClipped() {
        const QSize before = m_window->size();
        for (const QSize &size : {QSize(1366, 768), QSize(1920, 1080), QSize(1024, 640),
                                  QSize(1280, 800), QSize(2560, 1440)}) {
            m_window->resize(size);
            ExpiryTimelineChart *chart = selectAndShowTimeline(u"saw.test"_s, u"127.0.0.1"_s);
            QVERIFY(chart);
            QTRY_VERIFY(chart->isVisible());
            QApplication::processEvents();
            const QStringList names = chart->legendNames();
            QVERIFY(names.contains(u"Certificate replaced"_s));
            QCOMPARE(chart->fullyShownLegendEntries(), names);
        }
        m_window->resize(before);
    }

    void rotationHealthPoints() {
        auto *views = m_window->findChild<QTabWidget *>(u"views"_s);
        views->setCurrentWidget(m_window->estate());
        EstateCharts *estate = m_window->estate();
        estate->showChart(EstateCharts::HealthChart);
        // Under their band: stuck.test (40 days left, band from 60), the stuck backend (15, band
        // from 45 through its tag) and the expired one. In it: saw.test, the renewed backend,
        // the 6-day certificate (band from 2).
        const QList<QPointF> under = estate->healthPoints(true);
        QCOMPARE(under.size(), 3);
        QVERIFY(under.contains(QPointF(90, 40)));
        QVERIFY(under.contains(QPointF(90, 15)));
        QVERIFY(under.contains(QPointF(90, -5)));
        const QList<QPointF> inBand = estate->healthPoints(false);
        QCOMPARE(inBand.size(), 3);
        QVERIFY(inBand.contains(QPointF(90, 80)));
        QVERIFY(inBand.contains(QPointF(90, 75)));
        QVERIFY(inBand.contains(QPointF(6, 5)));
        // The global band (no rotation period set: the 2/3 default) and capped thresholds.
        QCOMPARE(estate->healthLine(u"band.upper"_s).last(), QPointF(90, 90));
        QCOMPARE(estate->healthLine(u"band.lower"_s).last(), QPointF(90, 30));
        QCOMPARE(estate->healthLine(u"critical"_s), (QList<QPointF>{{0, 0}, {42, 7}, {90, 7}}));

        // An expired point says so, never "-5 days left".
        const QString expired = estate->healthToolTip(true, int(under.indexOf(QPointF(90, -5))));
        QVERIFY2(expired.contains(u"expired (days left -5)"_s) && !expired.contains(u"-5 day"_s),
                 qPrintable(expired));

        // Hover names the target; a click selects its row in the table.
        const int stuck = int(under.indexOf(QPointF(90, 40)));
        QVERIFY(estate->healthToolTip(true, stuck).contains(u"stuck.test"_s));
        estate->activateHealthPoint(true, stuck);
        QCOMPARE(views->currentIndex(), 0);
        const QModelIndexList selected = m_table->selectionModel()->selectedRows();
        QCOMPARE(selected.size(), 1);
        QCOMPARE(selected.first().row(), rowOf(u"stuck.test"_s, u"127.0.0.3"_s));
    }

    void exportPng() {
        EstateCharts *estate = m_window->estate();
        const QString path = m_dir.filePath(u"calendar.png"_s);
        estate->showChart(EstateCharts::CalendarChart);
        QString error;
        QVERIFY2(estate->exportPng(path, &error), qPrintable(error));
        const QImage image(path);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() > 100 && image.height() > 100);
    }

    void cleanupTestCase() {
        m_window.reset();
        m_db.reset();
    }
};

int main(int argc, char **argv) {
    // Weeks are local: pin the zone so that the expected buckets hold on any machine.
    qputenv("TZ", "Europe/Berlin");
    QApplication app(argc, argv);
    TestCharts test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_charts.moc"
