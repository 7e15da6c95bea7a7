// The evidence report (issue 16): its HTML and PDF from a store of real probe results, and
// `certdash report --format html|pdf` through the binary without a display.
#include "CertFactory.h"
#include "CommandRunner.h"
#include "LocalTlsServer.h"
#include "TestSupport.h"

#include "cli/InventoryCommands.h"
#include "cli/ScanCommand.h"
#include "domain/Attention.h"
#include "domain/FindingExplanation.h"
#include "monitor/ScanController.h"
#include "report/EvidenceReport.h"
#include "storage/Database.h"
#include "storage/Settings.h"
#include "widgets/MainWindow.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

namespace {
const QString kHostile = u"<script>alert(1)</script>"_s;
} // namespace

class TestEvidenceReport : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_db;
    TestCert m_root;
    TestCert m_ca;    // long-lived
    TestCert m_short; // expires in 10 days: limits soon.test
    TestCert m_okLeaf;
    TestCert m_soonLeaf;
    LocalTlsServer m_okServer;
    LocalTlsServer m_soonServer;
    QList<Change> m_changes;

    QString writeFile(const QString &name, const QByteArray &content) {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(content) < 0)
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    EvidenceReport report() {
        EvidenceReport r;
        r.generatedAt = pinnedNow();
        r.changesSince = pinnedNow().addDays(-7);
        r.zone = QTimeZone::utc();
        QString error;
        auto db = Database::open(m_db, &error);
        if (!db || !readEvidence(*db, &r, &error))
            qFatal("cannot read the store: %s", qPrintable(error));
        // The changes are the test's own (the feed itself is tested by tst_changefeed).
        r.changes = m_changes;
        drawEvidenceCharts(r);
        return r;
    }

    static QString tool(const QString &name) {
        const QString path = QStandardPaths::findExecutable(name);
        if (path.isEmpty())
            qWarning("%s not found: tools/install-deps.sh installs poppler-utils",
                     qPrintable(name));
        return path;
    }

    static QString run(const QString &program, const QStringList &arguments) {
        QProcess p;
        p.start(program, arguments);
        if (!p.waitForFinished(60000) || p.exitCode() != 0)
            qWarning("%s failed: %s", qPrintable(program), p.readAllStandardError().constData());
        // The PDF's fonts draw "fi" and "fl" as ligatures, which pdftotext gives back as such.
        return QString::fromUtf8(p.readAllStandardOutput())
            .replace(QChar(0xFB01), u"fi"_s)
            .replace(QChar(0xFB02), u"fl"_s);
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_root = makeCert(CertSpec::root(u"Evidence Root"_s).validDays(-1000, 3000));
        m_ca = makeCert(CertSpec::intermediate(u"Evidence Issuing CA"_s).validDays(-500, 1000),
                        &m_root);
        m_short =
            makeCert(CertSpec::intermediate(u"Evidence Short CA"_s).validDays(-500, 10), &m_root);
        m_okLeaf = makeCert(CertSpec::leaf(u"ok.test"_s).validDays(-10, 80), &m_ca);
        m_soonLeaf = makeCert(CertSpec::leaf(u"soon.test"_s).validDays(-10, 80), &m_short);
        m_okServer.setChain({m_okLeaf.certificate(), m_ca.certificate()}, m_okLeaf.key());
        QVERIFY(m_okServer.listenLoopback());
        m_soonServer.setChain({m_soonLeaf.certificate(), m_short.certificate()}, m_soonLeaf.key());
        QVERIFY(m_soonServer.listenLoopback());
        const QString rootPem = m_dir.filePath(u"root.pem"_s);
        QVERIFY(writePemBundle(rootPem, {m_root}));

        // ok.test: ok and trusted; soon.test: limited by its intermediate (warning); the hostile
        // name is served ok.test's certificate: ok by date, refused for its name.
        const QString targets = writeFile(
            u"targets.txt"_s, u"ok.test:%1 address=127.0.0.1\n"
                              "soon.test:%2 address=127.0.0.1\n"
                              "wrong.test:%1 address=127.0.0.1 name=%3\n"_s.arg(m_okServer.port())
                                  .arg(m_soonServer.port())
                                  .arg(kHostile)
                                  .toUtf8());
        m_db = m_dir.filePath(u"evidence.sqlite"_s);
        const CommandRun imported = runCommand(&cli::runImport, {targets, u"--database"_s, m_db});
        QVERIFY2(imported.exitCode == 0, qPrintable(imported.err));
        const CommandRun scan =
            runCommand(&cli::runScan, {u"--database"_s, m_db, u"--quiet"_s, u"--no-system-ca"_s,
                                       u"--ca-file"_s, rootPem, u"--timeout"_s, u"5"_s});
        QCOMPARE(scan.exitCode, 2); // the hostname mismatch

        Change rotated;
        rotated.firstSeen = pinnedNow().addDays(-2);
        rotated.kind = ChangeKind::CertificateRotated;
        rotated.target = u"ok.test:%1"_s.arg(m_okServer.port());
        rotated.address = u"127.0.0.1"_s;
        rotated.before = u"AA:BB:OLD"_s;
        rotated.after = u"CC:DD:NEW"_s;
        rotated.detail = u"2026-06-03T12:00:00Z"_s;
        Change hostile;
        hostile.firstSeen = pinnedNow().addDays(-1);
        hostile.kind = ChangeKind::TargetAdded;
        hostile.target = kHostile;
        m_changes = {rotated, hostile};
    }

    // The report's changes are the store's own (the change feed of `certdash diff`): the three
    // targets the import added are listed, with their names as stored.
    void changesComeFromTheStore() {
        EvidenceReport r;
        // The import ran on the pinned clock; a report made within that second lists it.
        r.generatedAt = pinnedNow().addMSecs(400);
        r.changesSince = pinnedNow().addSecs(-3600);
        r.zone = QTimeZone::utc();
        QString error;
        auto db = Database::open(m_db, &error);
        QVERIFY2(db && readEvidence(*db, &r, &error), qPrintable(error));
        QStringList added;
        for (const Change &c : r.changes)
            if (c.kind == ChangeKind::TargetAdded)
                added << c.target;
        QCOMPARE(added.size(), 3);
        QVERIFY2(added.contains(kHostile), qPrintable(added.join(u" | "_s)));
        const QString html = QString::fromUtf8(evidenceHtml(r));
        QVERIFY2(html.contains(u"soon.test"_s), "the added targets are in the document");
    }

    // The HTML names the counts, the endpoint limited by its intermediate, the findings in
    // words and the changes, embeds its images, and escapes what the store holds.
    void htmlHasTheEvidence() {
        const EvidenceReport r = report();
        QCOMPARE(r.results.size(), 3);
        const QString html = QString::fromUtf8(evidenceHtml(r));

        // Summary: one ok (ok.test, and the mismatch is ok by date) ... by status and by trust.
        for (const auto &[status, count] : evidenceStatusCounts(r.results)) {
            const QRegularExpression row(u">%1</td><td class=\"n\" align=\"right\">%2</td>"_s
                                             .arg(QRegularExpression::escape(statusLabel(status)))
                                             .arg(count));
            QVERIFY2(html.contains(row), qPrintable(statusLabel(status)));
        }
        QCOMPARE(evidenceStatusCounts(r.results),
                 (QList<QPair<Status, int>>{{Status::Warning, 1}, {Status::Ok, 2}}));
        QVERIFY(html.contains(u">%1</td><td class=\"n\" align=\"right\">1</td>"_s.arg(
            trustLevelLabel(TrustLevel::Failed))));
        QVERIFY(html.contains(u">%1</td><td class=\"n\" align=\"right\">2</td>"_s.arg(
            trustLevelLabel(TrustLevel::Trusted))));

        // Needs attention: soon.test (warning, limited by the short intermediate) and the
        // mismatch, as the window counts them; ok.test is not listed.
        const QList<ProbeResult> attention = evidenceAttention(r.results);
        QCOMPARE(attention.size(), 2);
        QCOMPARE(attention.first().target.host, u"soon.test"_s);
        QVERIFY(html.contains(u"Endpoints that need attention (2)"_s));
        const qsizetype soon = html.indexOf(u"soon.test"_s, html.indexOf(u"need attention"_s));
        QVERIFY(soon > 0);
        const QString soonRow = html.mid(soon, html.indexOf(u"</tr>"_s, soon) - soon);
        QVERIFY2(soonRow.contains(u"CN=Evidence Short CA"_s), qPrintable(soonRow));
        QVERIFY2(soonRow.contains(u"role: intermediate"_s), qPrintable(soonRow));
        QVERIFY2(soonRow.contains(u"2026-03-25 12:00 UTC"_s), qPrintable(soonRow)); // +10 days
        QVERIFY2(soonRow.contains(u">9</td>"_s) || soonRow.contains(u">10</td>"_s),
                 qPrintable(soonRow));
        // Findings in words: what the mismatch means for clients, escaped as HTML text.
        QVERIFY(html.contains(explainFinding(FindingKind::HostnameMismatch).toHtmlEscaped()));
        QVERIFY(html.contains(u"hostname mismatch"_s));
        // A change row.
        QVERIFY(html.contains(changeKindLabel(ChangeKind::CertificateRotated).toHtmlEscaped()));
        QVERIFY(html.contains(u"CC:DD:NEW"_s));
        QVERIFY(html.contains(u"Changes since"_s));

        // Escaping: the hostile name (a target and a change) is text, never markup.
        QVERIFY(!html.contains(kHostile));
        QVERIFY(html.contains(kHostile.toHtmlEscaped()));
        // Self-contained: the two charts as data: URIs, nothing loaded from elsewhere.
        QCOMPARE(html.count(u"src=\"data:image/png;base64,"_s), 2);
        QVERIFY(!html.contains(u"src=\"http"_s));
        QVERIFY(!html.contains(u"<link"_s));
        const qsizetype data = html.indexOf(u"base64,"_s) + 7;
        const QImage chart = QImage::fromData(
            QByteArray::fromBase64(html.mid(data, html.indexOf(u'"', data) - data).toLatin1()),
            "PNG");
        QVERIFY(!chart.isNull());
        QVERIFY(chart.width() >= 640);
        // A drawn chart, not a blank page: axes, bars and labels cover part of it.
        qsizetype inked = 0;
        for (int y = 0; y < chart.height(); y += 2) {
            for (int x = 0; x < chart.width(); x += 2)
                inked += qGray(chart.pixel(x, y)) < 200;
        }
        QVERIFY2(inked * 4 > chart.width() * chart.height() / 100,
                 qPrintable(QString::number(inked)));
    }

    // The PDF holds the same facts (read back with pdftotext) on A4 pages.
    void pdfHasTheEvidence() {
        const QString pdftotext = tool(u"pdftotext"_s);
        const QString pdfinfo = tool(u"pdfinfo"_s);
        if (pdftotext.isEmpty() || pdfinfo.isEmpty())
            QSKIP("poppler-utils is not installed (tools/install-deps.sh installs it)");
        const QByteArray pdf = evidencePdf(report());
        QVERIFY(pdf.startsWith("%PDF-"));
        const QString path = writeFile(u"evidence.pdf"_s, pdf);
        // To look at the pages: CERTDASH_EVIDENCE_KEEP=DIR keeps a copy of the PDF.
        if (const QString keep = qEnvironmentVariable("CERTDASH_EVIDENCE_KEEP"); !keep.isEmpty())
            QFile::copy(path, QDir(keep).filePath(u"evidence.pdf"_s));
        const QString info = run(pdfinfo, {path});
        const QRegularExpressionMatch pages = QRegularExpression(u"Pages:\\s+(\\d+)"_s).match(info);
        QVERIFY2(pages.hasMatch() && pages.captured(1).toInt() > 0, qPrintable(info));
        QVERIFY2(info.contains(u"595.276 x 841.89"_s) || info.contains(u"(A4)"_s),
                 qPrintable(info));
        // Words only: pdftotext breaks lines where the table cells do.
        const QString text = run(pdftotext, {u"-raw"_s, path, u"-"_s}).simplified();
        QVERIFY2(text.contains(u"CertDash evidence report"_s), qPrintable(text.left(400)));
        QVERIFY2(text.contains(u"need attention (2)"_s), qPrintable(text));
        QVERIFY2(text.contains(u"Evidence Short CA"_s), qPrintable(text));
        QVERIFY2(text.contains(u"role: intermediate"_s), qPrintable(text));
        QVERIFY2(text.contains(u"hostname mismatch"_s), qPrintable(text));
        QVERIFY2(text.contains(changeKindLabel(ChangeKind::CertificateRotated)), qPrintable(text));
        QVERIFY2(text.contains(u"CC:DD:NEW"_s), qPrintable(text));
        QVERIFY2(text.contains(u"<script>alert"_s), qPrintable(text)); // shown as text
    }

    // `certdash report --format html|pdf` with no display at all (cron): the command picks the
    // offscreen platform itself.
    void commandWritesDocumentsWithoutDisplay_data() {
        QTest::addColumn<QString>("format");
        QTest::newRow("html") << u"html"_s;
        QTest::newRow("pdf") << u"pdf"_s;
    }
    void commandWritesDocumentsWithoutDisplay() {
        QFETCH(QString, format);
        const QString binary = qEnvironmentVariable("CERTDASH_BINARY");
        if (binary.isEmpty())
            QSKIP("CERTDASH_BINARY is not set (ctest sets it)");
        const QString output = m_dir.filePath(u"report."_s + format);
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char *name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
            env.remove(QString::fromLatin1(name));
        p.setProcessEnvironment(env);
        p.start(binary, {u"report"_s, u"--format"_s, format, u"--output"_s, output, u"--database"_s,
                         m_db, u"--since"_s, u"30d"_s});
        QVERIFY(p.waitForFinished(120000));
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        // Exit codes as for scan: the mismatch makes it 2.
        QVERIFY2(p.exitCode() == 2, qPrintable(err));
        QFile f(output);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray data = f.readAll();
        if (format == u"pdf"_s) {
            QVERIFY(data.startsWith("%PDF-"));
            const QString pdftotext = tool(u"pdftotext"_s);
            if (!pdftotext.isEmpty())
                QVERIFY(run(pdftotext, {u"-raw"_s, output, u"-"_s})
                            .simplified()
                            .contains(u"Evidence Short CA"_s));
        } else {
            QVERIFY(data.startsWith("<!DOCTYPE html>"));
            QVERIFY(data.contains("CN=Evidence Short CA"));
            QCOMPARE(data.count("src=\"data:image/png;base64,"), 2);
        }
    }

    // File > Export audit report: the window reads the store and writes the document in threads
    // (its event loop keeps turning meanwhile) and says when the file is there.
    void windowExportsTheAuditReport() {
        QString error;
        auto db = Database::open(m_db, &error);
        QVERIFY2(db, qPrintable(error));
        Settings settings(m_dir.filePath(u"window.ini"_s));
        MainWindow window(*db, settings);
        ProbeOptions options = window.scanController()->probeOptions();
        options.clock = std::make_shared<FixedClock>(pinnedNow());
        window.scanController()->setProbeOptions(options);
        QAction *action = nullptr;
        for (QAction *a : window.findChildren<QAction *>()) {
            if (a->text() == u"Export &audit report..."_s)
                action = a;
        }
        QVERIFY(action);

        // HTML, then PDF (laid out in the writer thread: images as QImage there, never QPixmap).
        for (const QString &name : {u"window.html"_s, u"window.pdf"_s}) {
            const QString path = m_dir.filePath(name);
            QSignalSpy exported(&window, &MainWindow::evidenceExported);
            int turns = 0;
            QTimer ticker;
            connect(&ticker, &QTimer::timeout, this, [&turns] { ++turns; });
            ticker.start(0);
            window.exportEvidenceInBackground(path, pinnedNow().addDays(-7));
            QVERIFY(exported.wait(60000));
            QCOMPARE(exported.first().at(1).toString(), QString());
            QVERIFY(turns > 0);
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray data = f.readAll();
            if (name.endsWith(u".pdf"_s)) {
                QVERIFY(data.startsWith("%PDF-"));
                const QString pdftotext = tool(u"pdftotext"_s);
                if (!pdftotext.isEmpty())
                    QVERIFY(run(pdftotext, {u"-raw"_s, path, u"-"_s})
                                .simplified()
                                .contains(u"Evidence Short CA"_s));
            } else {
                QVERIFY(data.contains("CN=Evidence Short CA"));
                QCOMPARE(data.count("src=\"data:image/png;base64,"), 2);
            }
        }
    }

    void commandRejectsABadSince() {
        const QString binary = qEnvironmentVariable("CERTDASH_BINARY");
        if (binary.isEmpty())
            QSKIP("CERTDASH_BINARY is not set (ctest sets it)");
        QProcess p;
        p.start(binary, {u"report"_s, u"--format"_s, u"html"_s, u"--database"_s, m_db, u"--since"_s,
                         u"last tuesday"_s});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 3);
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(err.contains(u"--since: 'last tuesday'"_s), qPrintable(err));
    }
};

int main(int argc, char **argv) {
    QApplication app(argc, argv);
    TestEvidenceReport test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_evidencereport.moc"
