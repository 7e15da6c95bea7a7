#include "ReportFixtures.h"
#include "reports/CsvWriter.h"
#include "reports/JsonReport.h"
#include "reports/PrometheusReport.h"
#include "reports/Report.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

using namespace certdash;

namespace {
QByteArray readAll(const QString &path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeFile(const QString &path, const QByteArray &data) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

#ifdef Q_OS_UNIX
// Root ignores directory permissions; the test then runs the write as "nobody" (the saved user
// id stays root, so the effective one can be restored).
class UnprivilegedScope {
public:
    UnprivilegedScope() {
        if (geteuid() == 0)
            m_dropped = seteuid(65534) == 0;
    }
    ~UnprivilegedScope() {
        if (m_dropped && seteuid(0) != 0)
            qFatal("cannot restore the effective user id");
    }
    bool effective() const { return geteuid() != 0; }

private:
    bool m_dropped = false;
};
#endif
} // namespace

class TestReportOutput : public QObject {
    Q_OBJECT
private slots:
    void formatNames_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("format"); // -1: rejected
        QTest::newRow("csv") << "csv" << int(ReportFormat::Csv);
        QTest::newRow("json") << "json" << int(ReportFormat::Json);
        QTest::newRow("prometheus") << "prometheus" << int(ReportFormat::Prometheus);
        QTest::newRow("upper case") << "JSON" << int(ReportFormat::Json);
        QTest::newRow("unknown") << "xml" << -1;
        QTest::newRow("empty") << "" << -1;
        QTest::newRow("prefix") << "prom" << -1;
    }

    void formatNames() {
        QFETCH(QString, name);
        QFETCH(int, format);
        const std::optional<ReportFormat> parsed = reportFormatFromName(name);
        QCOMPARE(parsed.has_value(), format >= 0);
        if (parsed) {
            QCOMPARE(int(*parsed), format);
            QCOMPARE(reportFormatFromName(reportFormatName(*parsed)), parsed);
        }
    }

    void renderReportPicksTheFormat() {
        const QList<ProbeResult> results{test::okResult(), test::timeoutResult()};
        const QDateTime at = test::pinnedNow();
        QCOMPARE(renderReport(ReportFormat::Csv, results, at), renderCsvReport(results));
        QCOMPARE(renderReport(ReportFormat::Json, results, at), renderJsonReport(results, at));
        QCOMPARE(renderReport(ReportFormat::Prometheus, results, at),
                 renderPrometheusReport(results));
        QVERIFY(renderReport(ReportFormat::Csv, results, at).startsWith("target,host,port,"));
    }

    void writeReplacesTheFile() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("certs.prom"));
        QVERIFY(writeFile(path, "old\n"));
        QString error;
        QVERIFY(writeFileAtomically(path, "new contents\n", &error));
        QVERIFY(error.isEmpty());
        QCOMPARE(readAll(path), QByteArray("new contents\n"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden),
                 QStringList{QStringLiteral("certs.prom")}); // no temporary left behind
    }

    void unwritableDirectoryKeepsTheOldFile() {
#ifndef Q_OS_UNIX
        QSKIP("directory permissions are a Unix notion here");
#else
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("certs.csv"));
        QVERIFY(writeFile(path, "previous report\r\n"));
        QVERIFY(QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::ExeOwner |
                                                      QFile::ReadOther | QFile::ExeOther |
                                                      QFile::ReadGroup | QFile::ExeGroup));
        bool ok = true;
        QString error;
        bool unprivileged = false;
        {
            UnprivilegedScope scope;
            unprivileged = scope.effective();
            if (unprivileged)
                ok = writeFileAtomically(path, "half a report", &error);
        }
        QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        if (!unprivileged)
            QSKIP("cannot drop root privileges here, so no directory is unwritable");

        QVERIFY(!ok);
        QVERIFY2(error.contains(path), qPrintable(error));
        QVERIFY2(error.size() > path.size() + 4, qPrintable(error)); // says why, too
        QCOMPARE(readAll(path), QByteArray("previous report\r\n"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden),
                 QStringList{QStringLiteral("certs.csv")});
#endif
    }

    void missingDirectoryIsReported() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("no/such/dir/report.json"));
        QString error;
        QVERIFY(!writeFileAtomically(path, "{}", &error));
        QVERIFY2(error.contains(QDir::toNativeSeparators(path)), qPrintable(error));
        QVERIFY(!QFile::exists(path));
        // A null error pointer is allowed.
        QVERIFY(!writeFileAtomically(path, "{}", nullptr));
    }
};

QTEST_GUILESS_MAIN(TestReportOutput)
#include "tst_reportoutput.moc"
