// Rows of a scan arrive in completion order; the report keeps input order (each target's
// addresses sorted), writing a row as soon as every target before it is done.
#include "cli/ScanCommand.h"
#include "cli/ScanReport.h"

#include <QRandomGenerator>
#include <QTest>

using namespace certdash;
using namespace certdash::cli;
using namespace Qt::StringLiterals;

namespace {
struct Arrival
{
    int index;
    QString address;
    int rowsOfTarget;
};

ReportStream::Row rowNamed(const QString &name)
{
    return {{name.toUtf8()}};
}
} // namespace

class TestReportOrder : public QObject
{
    Q_OBJECT

private slots:
    // Whatever the completion order, the rows come out as sortForReport orders whole results.
    void sameOrderAsSortForReport()
    {
        // 40 targets with 1 to 3 addresses (target 7 has one address twice); arrivals shuffled.
        QList<Arrival> arrivals;
        for (int i = 0; i < 40; ++i) {
            QStringList addresses;
            for (int a = 1 + i % 3; a > 0; --a)
                addresses << u"10.0.%1.%2"_s.arg(i).arg(a);
            if (i == 7)
                addresses << u"10.0.7.1"_s;
            for (const QString &address : addresses)
                arrivals.append({i, address, int(addresses.size())});
        }
        QRandomGenerator random(11);
        for (qsizetype i = arrivals.size() - 1; i > 0; --i)
            arrivals.swapItemsAt(i, random.bounded(int(i + 1)));

        QList<QPair<int, ProbeResult>> results;
        for (int n = 0; n < arrivals.size(); ++n) {
            ProbeResult r;
            r.address = arrivals[n].address;
            r.error = QString::number(n); // which arrival: duplicates keep their order
            results.append({arrivals[n].index, r});
        }
        sortForReport(results);
        QByteArrayList expected;
        for (const auto &[index, r] : results)
            expected << u"%1 %2 %3"_s.arg(index).arg(r.address, r.error).toUtf8();

        QByteArrayList emitted;
        ReportOrder order([&](const ReportStream::Row &row) { emitted << row.parts.first(); });
        for (int n = 0; n < arrivals.size(); ++n) {
            const Arrival &a = arrivals[n];
            order.add(a.index, a.address, a.rowsOfTarget,
                      rowNamed(u"%1 %2 %3"_s.arg(a.index).arg(a.address).arg(n)));
        }
        QCOMPARE(order.waiting(), 0);
        QCOMPARE(emitted, expected);
    }

    // A row is written once the targets before it are complete, not at the end of the scan.
    void rowsGoAsSoonAsTheirTurnComes()
    {
        QByteArrayList emitted;
        ReportOrder order([&](const ReportStream::Row &row) { emitted << row.parts.first(); });
        order.add(1, u"b"_s, 1, rowNamed(u"1b"_s));
        QVERIFY(emitted.isEmpty()); // target 0 is still being probed
        QCOMPARE(order.waiting(), 1);
        order.add(0, u"z"_s, 2, rowNamed(u"0z"_s));
        QVERIFY(emitted.isEmpty()); // target 0 has a second address
        order.add(0, u"a"_s, 2, rowNamed(u"0a"_s));
        QCOMPARE(emitted, (QByteArrayList{"0a", "0z", "1b"}));
        QCOMPARE(order.waiting(), 0);
        order.add(3, u"x"_s, 1, rowNamed(u"3x"_s));
        order.add(2, u"y"_s, 2, rowNamed(u"2y"_s));
        QCOMPARE(emitted.size(), 3);
        order.finish(); // a scan that ended before target 2's second address
        QCOMPARE(emitted, (QByteArrayList{"0a", "0z", "1b", "2y", "3x"}));
    }
};

QTEST_GUILESS_MAIN(TestReportOrder)
#include "tst_reportorder.moc"
