// A report written row by row as a scan's results come (ReportStream) is byte for byte the report
// renderReport() makes from the whole list, in every format, whether its waiting parts stay in
// memory or move to temporary files.
#include "ReportFixtures.h"
#include "reports/Report.h"
#include "reports/ReportStream.h"

#include <QBuffer>
#include <QTest>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(certdash::ReportFormat)

namespace {
// A small estate with what quoting, escaping and grouping must get right: several addresses of
// one name, a failure with a multi-line error, labels and texts with quotes, commas and
// backslashes, results with and without certificates.
QList<ProbeResult> estate() {
    QList<ProbeResult> results;
    ProbeResult ok = okResult();
    ok.target.name = u"Main \"site\", EU"_s;
    results << ok;
    ok.address = u"192.0.2.11"_s;
    ok.durationMs = 12;
    results << ok;
    ProbeResult slow = timeoutResult();
    slow.error = u"first line\nsecond line, with \"quotes\" and a \\ backslash"_s;
    results << slow;
    ProbeResult expired = okResult();
    expired.target.host = u"=old.example.com"_s;
    expired.status = Status::Expired;
    expired.daysLeft = -3;
    expired.trust.trusted = false;
    expired.trust.findings = {u"certificate has expired"_s};
    results << expired;
    ProbeResult dns;
    dns.target.host = u"gone.example.com"_s;
    dns.target.port = 8443;
    dns.sni = dns.target.host;
    dns.error = u"DNS: gone.example.com not found"_s;
    dns.probedAt = pinnedNow();
    results << dns;
    return results;
}

QByteArray streamed(ReportFormat format, const QList<ProbeResult> &results,
                    ReportStream::Delivery delivery, qint64 spoolMemory, bool *spilled = nullptr) {
    QBuffer out;
    out.open(QIODevice::WriteOnly);
    ReportStream stream(format, &out, delivery, spoolMemory);
    for (const ProbeResult &r : results)
        stream.append(stream.render(r));
    QString error;
    if (!stream.finish(pinnedNow(), &error))
        qWarning("finish: %s", qPrintable(error));
    if (spilled)
        *spilled = stream.spilled();
    return out.data();
}
} // namespace

class TestReportStream : public QObject {
    Q_OBJECT

private slots:
    void sameBytesAsTheRenderer_data() {
        QTest::addColumn<ReportFormat>("format");
        QTest::addColumn<int>("count");
        for (const ReportFormat format :
             {ReportFormat::Csv, ReportFormat::Json, ReportFormat::Prometheus}) {
            for (const int count : {0, 1, 5}) {
                const QByteArray name =
                    (reportFormatName(format) + u", %1 results"_s.arg(count)).toUtf8();
                QTest::newRow(name.constData()) << format << count;
            }
        }
    }
    void sameBytesAsTheRenderer() {
        QFETCH(ReportFormat, format);
        QFETCH(int, count);
        const QList<ProbeResult> results = estate().mid(0, count);
        const QByteArray expected = renderReport(format, results, pinnedNow());

        const auto direct = ReportStream::Delivery::Direct;
        const auto atFinish = ReportStream::Delivery::AtFinish;
        QCOMPARE(streamed(format, results, direct, ReportStream::kSpoolMemory), expected);
        QCOMPARE(streamed(format, results, atFinish, ReportStream::kSpoolMemory), expected);
        // Every waiting byte in temporary files.
        bool spilled = false;
        QCOMPARE(streamed(format, results, direct, 0, &spilled), expected);
        QCOMPARE(spilled, format != ReportFormat::Csv && count > 0);
        QCOMPARE(streamed(format, results, atFinish, 0, &spilled), expected);
        QCOMPARE(spilled, format == ReportFormat::Csv || count > 0); // CSV's header waits too
    }

    // CSV rows reach the device as they are appended; with AtFinish nothing does before the end.
    void csvRowsGoOutAsTheyCome() {
        const QList<ProbeResult> results = estate();
        QBuffer out;
        out.open(QIODevice::WriteOnly);
        ReportStream stream(ReportFormat::Csv, &out);
        QCOMPARE(out.data(), renderReport(ReportFormat::Csv, {}, pinnedNow())); // the header
        stream.append(results.at(0));
        stream.append(results.at(1));
        QCOMPARE(out.data(), renderReport(ReportFormat::Csv, results.mid(0, 2), pinnedNow()));

        QBuffer held;
        held.open(QIODevice::WriteOnly);
        ReportStream later(ReportFormat::Csv, &held, ReportStream::Delivery::AtFinish);
        later.append(results.at(0));
        QVERIFY(held.data().isEmpty());
        QVERIFY(later.finish(pinnedNow()));
        QCOMPARE(held.data(), renderReport(ReportFormat::Csv, results.mid(0, 1), pinnedNow()));
    }
};

QTEST_GUILESS_MAIN(TestReportStream)
#include "tst_reportstream.moc"
