// Trust failures against real local servers: a wrong certificate on a host is an incident (exit 2,
// trust_level failed) unless the target or a tag accepts it; a changed pin fails again; the level
// read back from the store (`certdash report`) is the one the scan judged. Chain findings: CN-only
// fails, out of order is weak, a stale cross-sign alone stays trusted.
#include "CertFactory.h"
#include "CommandRunner.h"
#include "LocalTlsServer.h"
#include "TestSupport.h"
#include "cli/InventoryCommands.h"
#include "cli/ReportCommand.h"
#include "cli/ScanCommand.h"
#include "inventory/CsvReader.h"
#include "storage/Database.h"

#include <QCryptographicHash>
#include <QTemporaryDir>
#include <QTest>

using namespace certdash;
using namespace certdash::cli;
using namespace certdash::test;
using namespace Qt::StringLiterals;

namespace {
using Run = CommandRun;

QString fingerprint(const TestCert &cert) {
    return QString::fromLatin1(
        QCryptographicHash::hash(cert.der, QCryptographicHash::Sha256).toHex(':').toUpper());
}

// The named column of the only data row of a CSV report.
QString cell(const QByteArray &csv, const QString &column) {
    const CsvDocument doc = readCsv(QString::fromUtf8(csv));
    if (doc.records.size() != 2)
        return u"(%1 rows)"_s.arg(doc.records.size());
    return doc.records.at(1).fields.value(doc.records.at(0).fields.indexOf(column));
}
} // namespace

class TestScanTrust : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    TestCert m_root;
    TestCert m_ca;
    TestCert m_leaf;       // right.test, issued by m_ca
    TestCert m_selfSigned; // self.test, self-signed
    QString m_rootPem;
    LocalTlsServer m_server;     // serves m_leaf
    LocalTlsServer m_selfServer; // serves m_selfSigned
    // Chains that verify or fail for reasons of their own, all for right.test:
    LocalTlsServer m_cnOnlyServer;   // a leaf without subjectAltName (CN only), m_ca
    LocalTlsServer m_reversedServer; // leaf, then its intermediates in reverse order
    LocalTlsServer m_crossServer;    // m_leaf, m_ca and a stale (expired) cross-sign of m_root

    QString writeFile(const QString &name, const QString &content) {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(content.toUtf8()) < 0)
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    QStringList trust() const {
        return {u"--no-system-ca"_s, u"--ca-file"_s, m_rootPem, u"--timeout"_s, u"3"_s};
    }

    Run scanLine(const QString &line) {
        const QString targets = writeFile(u"targets.txt"_s, line + u'\n');
        return runCommand(&runScan, QStringList{u"--targets"_s, targets, u"--quiet"_s} + trust());
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_root = makeCert(CertSpec::root(u"Trust Test Root"_s).validDays(-1000, 3000));
        m_ca = makeCert(CertSpec::intermediate(u"Trust Test CA"_s).validDays(-500, 1000), &m_root);
        m_leaf = makeCert(CertSpec::leaf(u"right.test"_s).validDays(-10, 80), &m_ca);
        m_selfSigned = makeCert(CertSpec::leaf(u"self.test"_s).validDays(-10, 80));
        m_rootPem = m_dir.filePath(u"root.pem"_s);
        QVERIFY(writePemBundle(m_rootPem, {m_root}));
        m_server.setChain({m_leaf.certificate(), m_ca.certificate()}, m_leaf.key());
        QVERIFY(m_server.listenLoopback());
        m_selfServer.setChain({m_selfSigned.certificate()}, m_selfSigned.key());
        QVERIFY(m_selfServer.listenLoopback());

        CertSpec cnOnlySpec = CertSpec::leaf(u"right.test"_s).validDays(-10, 80);
        cnOnlySpec.dnsNames.clear();
        const TestCert cnOnly = makeCert(cnOnlySpec, &m_ca);
        m_cnOnlyServer.setChain({cnOnly.certificate(), m_ca.certificate()}, cnOnly.key());
        QVERIFY(m_cnOnlyServer.listenLoopback());

        const TestCert int1 = makeCert(
            CertSpec::intermediate(u"Trust Test Int 1"_s, 1).validDays(-500, 1000), &m_root);
        const TestCert int2 =
            makeCert(CertSpec::intermediate(u"Trust Test Int 2"_s).validDays(-500, 1000), &int1);
        const TestCert reversed =
            makeCert(CertSpec::leaf(u"right.test"_s).validDays(-10, 80), &int2);
        m_reversedServer.setChain({reversed.certificate(), int1.certificate(), int2.certificate()},
                                  reversed.key());
        QVERIFY(m_reversedServer.listenLoopback());

        const TestCert oldRoot =
            makeCert(CertSpec::root(u"Trust Test Old Root"_s).validDays(-3650, -30));
        const TestCert staleCross =
            crossSign(m_root, oldRoot, pinnedNow().addDays(-900), pinnedNow().addDays(-20));
        m_crossServer.setChain({m_leaf.certificate(), m_ca.certificate(), staleCross.certificate()},
                               m_leaf.key());
        QVERIFY(m_crossServer.listenLoopback());
    }

    void trustedEndpointExitsZero() {
        const Run run = scanLine(u"right.test:%1 address=127.0.0.1"_s.arg(m_server.port()));
        QCOMPARE(cell(run.out, u"status"_s), u"ok"_s);
        QCOMPARE(cell(run.out, u"trust_level"_s), u"trusted"_s);
        QCOMPARE(run.exitCode, 0);
    }

    // The certificate is valid for 80 more days, so the expiry status stays ok: only trust says
    // that clients refuse it.
    void trustLevels_data() {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("level");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("finding");

        const QString wrong = u"wrong.test:%1 address=127.0.0.1"_s.arg(m_server.port());
        const QString self = u"self.test:%1 address=127.0.0.1"_s.arg(m_selfServer.port());
        QTest::newRow("hostname mismatch") << wrong << "failed" << 2 << "hostname mismatch";
        QTest::newRow("mismatch, pinned fingerprint")
            << wrong + u" pin_sha256="_s + fingerprint(m_leaf) << "accepted" << 0
            << "hostname mismatch";
        QTest::newRow("mismatch, pinned fingerprint without colons, lower case")
            << wrong + u" pin_sha256="_s + fingerprint(m_leaf).remove(u':').toLower() << "accepted"
            << 0 << "hostname mismatch";
        QTest::newRow("changed pin") << wrong + u" pin_sha256="_s + fingerprint(m_selfSigned)
                                     << "failed" << 2 << "pin mismatch";
        // An accepted private chain does not excuse a wrong name.
        QTest::newRow("mismatch, accept_self_signed")
            << wrong + u" accept_self_signed"_s << "failed" << 2 << "hostname mismatch";
        QTest::newRow("self-signed") << self << "failed" << 2 << "self-signed";
        QTest::newRow("self-signed, accepted")
            << self + u" accept_self_signed=true"_s << "accepted" << 0 << "self-signed";
        QTest::newRow("self-signed, pinned issuer")
            << self + u" pin_issuer=self.test"_s << "accepted" << 0 << "self-signed";
        QTest::newRow("self-signed, issuer changed")
            << self + u" pin_issuer=\"CN=Private CA\""_s << "failed" << 2 << "pin mismatch";
        QTest::newRow("trusted chain, issuer changed")
            << u"right.test:%1 address=127.0.0.1 pin_issuer=\"CN=Other CA\""_s.arg(m_server.port())
            << "failed" << 2 << "pin mismatch";
    }
    void trustLevels() {
        QFETCH(QString, line);
        QFETCH(QString, level);
        QFETCH(int, exitCode);
        QFETCH(QString, finding);
        const Run run = scanLine(line);
        QVERIFY2(run.err.isEmpty(), qPrintable(run.err));
        QCOMPARE(cell(run.out, u"status"_s), u"ok"_s); // expiry unchanged: 80 days left
        // `trust` keeps its documented meaning: the chain verifies and the name matches.
        const bool chainAndNameOk = QTest::currentDataTag() == "trusted chain, issuer changed"_ba;
        QCOMPARE(cell(run.out, u"trust"_s), chainAndNameOk ? u"trusted"_s : u"untrusted"_s);
        QCOMPARE(cell(run.out, u"trust_level"_s), level);
        QVERIFY2(cell(run.out, u"verification_errors"_s).contains(finding),
                 qPrintable(cell(run.out, u"verification_errors"_s)));
        QCOMPARE(run.exitCode, exitCode);
    }

    // Findings of the chain itself: a CN-only certificate is refused by browsers (exit 2), a
    // chain sent out of order fails old clients only (weak, exit 1), a stale cross-sign the
    // server still sends is ignored by clients (listed, but trusted: exit 0, as before trust
    // levels existed). The expiry status is ok throughout.
    void chainFindings_data() {
        QTest::addColumn<quint16>("port");
        QTest::addColumn<QString>("trust");
        QTest::addColumn<QString>("level");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("finding");
        QTest::newRow("CN only") << m_cnOnlyServer.port() << "untrusted"
                                 << "failed" << 2 << "no subjectAltName";
        QTest::newRow("reversed chain alone") << m_reversedServer.port() << "trusted"
                                              << "weak" << 1 << "chain out of order";
        QTest::newRow("stale cross-sign")
            << m_crossServer.port() << "trusted"
            << "trusted" << 0 << "extra certificate not on the verified path";
    }
    void chainFindings() {
        QFETCH(quint16, port);
        QFETCH(QString, trust);
        QFETCH(QString, level);
        QFETCH(int, exitCode);
        QFETCH(QString, finding);
        const Run run = scanLine(u"right.test:%1 address=127.0.0.1"_s.arg(port));
        QVERIFY2(run.err.isEmpty(), qPrintable(run.err));
        const QString findings = cell(run.out, u"verification_errors"_s);
        QCOMPARE(cell(run.out, u"status"_s), u"ok"_s);
        QCOMPARE(cell(run.out, u"trust"_s), trust);
        QCOMPARE(cell(run.out, u"trust_level"_s), level);
        QVERIFY2(findings.contains(finding), qPrintable(findings));
        // Each case has the one finding it is about.
        QVERIFY2(!findings.contains(u';'), qPrintable(findings));
        QCOMPARE(run.exitCode, exitCode);
    }

    // The level comes back from the store as judged: `certdash report` exits like the scan, and
    // the tag's acceptance applies to stored targets.
    void storedLevelsAndTagAcceptance() {
        const QString db = m_dir.filePath(u"trust.sqlite"_s);
        const QString targets =
            writeFile(u"stored.txt"_s,
                      u"wrong.test:%1 address=127.0.0.1 tags=legacy\n"_s.arg(m_server.port()));
        QCOMPARE(runCommand(&runImport, {targets, u"--database"_s, db}).exitCode, 0);

        const Run scan =
            runCommand(&runScan, QStringList{u"--database"_s, db, u"--quiet"_s} + trust());
        QCOMPARE(cell(scan.out, u"trust_level"_s), u"failed"_s);
        QCOMPARE(scan.exitCode, 2);
        const Run report = runCommand(&runReport, {u"--database"_s, db});
        QCOMPARE(cell(report.out, u"trust_level"_s), u"failed"_s);
        QCOMPARE(report.exitCode, 2);

        {
            QString error;
            auto store = Database::open(db, &error);
            QVERIFY2(store, qPrintable(error));
            QVERIFY(store->exec(
                u"INSERT INTO tag_policies(tag, pin_sha256) VALUES ('legacy', '%1')"_s.arg(
                    fingerprint(m_leaf))));
        }
        const Run accepted =
            runCommand(&runScan, QStringList{u"--database"_s, db, u"--quiet"_s} + trust());
        QCOMPARE(cell(accepted.out, u"trust_level"_s), u"accepted"_s);
        QCOMPARE(accepted.exitCode, 0);
        const Run reportAccepted = runCommand(&runReport, {u"--database"_s, db});
        QCOMPARE(cell(reportAccepted.out, u"trust_level"_s), u"accepted"_s);
        QCOMPARE(reportAccepted.exitCode, 0);
    }

    // Issue 14: `certdash scan` and `certdash report` write the same columns, owner, tags and
    // notes included, and the serial as "0x..." text.
    void scanAndReportShareTheAuditColumns() {
        const QString db = m_dir.filePath(u"audit.sqlite"_s);
        const QString targets = writeFile(
            u"audit.txt"_s, u"right.test:%1 address=127.0.0.1 tags=pci,prod owner=payments "
                            u"notes=ticket-42\n"_s.arg(m_server.port()));
        QCOMPARE(runCommand(&runImport, {targets, u"--database"_s, db}).exitCode, 0);
        const Run scan =
            runCommand(&runScan, QStringList{u"--database"_s, db, u"--quiet"_s} + trust());
        const Run report = runCommand(&runReport, {u"--database"_s, db});
        const QByteArray scanHeader = scan.out.left(scan.out.indexOf("\r\n"));
        QCOMPARE(scanHeader, report.out.left(report.out.indexOf("\r\n")));
        QVERIFY2(scanHeader.endsWith(",owner,tags,notes"), scanHeader.constData());
        for (const Run *run : {&scan, &report}) {
            QCOMPARE(cell(run->out, u"owner"_s), u"payments"_s);
            QCOMPARE(cell(run->out, u"tags"_s), u"pci,prod"_s);
            QCOMPARE(cell(run->out, u"notes"_s), u"ticket-42"_s);
            QVERIFY2(cell(run->out, u"serial"_s).startsWith(u"0x"_s),
                     qPrintable(cell(run->out, u"serial"_s)));
        }
    }
};

QTEST_GUILESS_MAIN(TestScanTrust)
#include "tst_scantrust.moc"
