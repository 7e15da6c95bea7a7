// The real binary against inputs that never end or are huge: it stops at the documented bound,
// says so in a few short lines, exits 3 and leaves the store as it was. Every child runs under an
// address-space limit, so that a regression fails the test instead of exhausting the machine.
#include "CommandRunner.h"
#include "TestSupport.h"
#include "cli/InventoryCommands.h"
#include "inventory/TargetParser.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <sys/resource.h>

using namespace certdash;
using namespace certdash::cli;
using namespace certdash::test;
using namespace Qt::StringLiterals;

namespace {

// Far above what a bounded import needs (a few hundred MB), far below the machine.
constexpr rlim_t kAddressSpaceLimit = rlim_t(3) * 1024 * 1024 * 1024;

struct ProcessRun {
    int exitCode = -1;
    QProcess::ExitStatus status = QProcess::CrashExit;
    QByteArray out;
    QByteArray err;
};

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif
#else
constexpr bool kAddressSanitizer = false;
#endif

ProcessRun runLimited(const QString &program, const QStringList &arguments) {
    QProcess process;
    if (kAddressSanitizer) {
        // AddressSanitizer reserves terabytes of address space for its shadow memory, so an
        // RLIMIT_AS child cannot even start: the same bound is set as ASan's own RSS limit,
        // which ends the child with a report (a later option overrides an earlier one).
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"ASAN_OPTIONS"_s, env.value(u"ASAN_OPTIONS"_s) + u":hard_rss_limit_mb="_s
                                          + QString::number(kAddressSpaceLimit / (1024 * 1024)));
        process.setProcessEnvironment(env);
    } else {
        process.setChildProcessModifier([] {
            const rlimit limit{kAddressSpaceLimit, kAddressSpaceLimit};
            ::setrlimit(RLIMIT_AS, &limit);
        });
    }
    process.start(program, arguments);
    ProcessRun run;
    if (!process.waitForStarted())
        return run;
    // A guard against a hang, not a measurement: a bounded import takes seconds at most.
    if (!process.waitForFinished(120000)) {
        process.kill();
        process.waitForFinished();
    }
    run.status = process.exitStatus();
    run.exitCode = process.exitCode();
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

QString describe(const ProcessRun &run) {
    return u"exit %1 (%2), stderr %3 bytes: %4"_s.arg(run.exitCode)
        .arg(run.status == QProcess::NormalExit ? u"normal"_s : u"crashed"_s)
        .arg(run.err.size())
        .arg(QString::fromUtf8(run.err.left(1500)));
}

} // namespace

class TestImportLimits : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_binary;
    QString m_database;
    QByteArray m_storedBefore;

    QString writeFile(const QString &name, const QByteArray &content) {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(content) != content.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    QByteArray exported() {
        const CommandRun run = runCommand(&runExport, {u"--database"_s, m_database});
        return run.exitCode == 0 ? run.out : QByteArray("export failed: ") + run.err.toUtf8();
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_binary = qEnvironmentVariable("CERTDASH_BINARY");
        if (m_binary.isEmpty())
            QSKIP("CERTDASH_BINARY is not set (run through ctest)");
        // A store with something in it: every refused import below must leave it as it is.
        m_database = m_dir.filePath(u"store.sqlite"_s);
        const QString good = writeFile(u"good.txt"_s,
                                       "a.example name=A owner=ops\n[2001:db8::1]:8443 tags=v6\n");
        const CommandRun run = runCommand(&runImport, {good, u"--database"_s, m_database});
        QCOMPARE(run.exitCode, 0);
        m_storedBefore = exported();
        QVERIFY(m_storedBefore.contains("a.example"));
    }

    void endlessInputStopsAtTheBound_data() {
        QTest::addColumn<QString>("program");
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::newRow("import /dev/zero")
            << u"@certdash"_s << QStringList{u"import"_s, u"/dev/zero"_s}
            << u"/dev/zero: larger than 64 MiB (the limit for a targets input); split it into "
               "smaller files"_s;
        QTest::newRow("yes | import -")
            << u"/bin/sh"_s << QStringList{u"-c"_s, u"yes | \"$0\" import - --database \"$1\""_s}
            << u"<stdin>: larger than 64 MiB"_s;
        QTest::newRow("scan --targets /dev/zero")
            << u"@certdash"_s << QStringList{u"scan"_s, u"--targets"_s, u"/dev/zero"_s}
            << u"/dev/zero: larger than 64 MiB"_s;
    }
    void endlessInputStopsAtTheBound() {
        QFETCH(QString, program);
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        if (program == u"@certdash"_s) {
            program = m_binary;
            if (arguments.first() == u"import"_s)
                arguments << u"--database"_s << m_database;
        } else {
            arguments << m_binary << m_database;
        }
        const ProcessRun run = runLimited(program, arguments);
        QVERIFY2(run.status == QProcess::NormalExit && run.exitCode == 3, qPrintable(describe(run)));
        QVERIFY2(QString::fromUtf8(run.err).startsWith(message), qPrintable(describe(run)));
        QVERIFY2(run.err.count('\n') <= 2 && run.err.size() < 600, qPrintable(describe(run)));
        QCOMPARE(exported(), m_storedBefore);
    }

    // Huge lines: a bounded list of short messages, nothing imported, the store untouched.
    // kubectl output of the wrong shape: what was skipped is named; nothing importable is an
    // error even with --skip-invalid, and the store is untouched.
    void kubectlSkipsAreSaid() {
        const QString partly = writeFile(u"partly.json"_s, R"({"items": [
            {"kind": "Ingress", "metadata": {"name": "a", "namespace": "n"},
             "spec": {"tls": {"hosts": ["a.example"]}}},
            {"kind": "Ingress", "metadata": {"name": "b", "namespace": "n"},
             "spec": {"tls": [{"hosts": ["kube-b.example"]}]}}]})");
        const QString db = m_dir.filePath(u"kube.sqlite"_s);
        CommandRun run = runCommand(&runImport, {partly, u"--database"_s, db});
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.err.contains(u"items[0] n/a: spec.tls is an object, expected an array; skipped"_s),
                 qPrintable(run.err));
        run = runCommand(&runImport, {partly, u"--skip-invalid"_s, u"--database"_s, db});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.err.contains(u"1 added"_s) && run.err.contains(u"1 rejected"_s), qPrintable(run.err));

        for (const QByteArray &nothing : {QByteArray(R"({"kind": "List", "items": null})"),
                                          QByteArray(R"({"kind": "List", "items": {}})"),
                                          QByteArray(R"({"kind": "List", "items": []})")}) {
            const QString path = writeFile(u"nothing.json"_s, nothing);
            run = runCommand(&runImport, {path, u"--skip-invalid"_s, u"--database"_s, m_database});
            QVERIFY2(run.exitCode == 3 && run.err.contains(u"nothing"_s), qPrintable(run.err));
            QVERIFY2(!run.err.contains(u"0 added"_s), qPrintable(run.err));
        }
        QCOMPARE(exported(), m_storedBefore);
    }

    // At most: the listed problems, "and N more", the format guess and its hint, the summary.
    void hugeInputGivesBoundedMessages_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("first");
        QTest::addColumn<int>("maxLines");
        const QByteArray tokens = QByteArray("zz=1 ").repeated(10 * 1024 * 1024); // 50 MiB
        QTest::newRow("50 MB line of zz=1")
            << QByteArray("b.example " + tokens + "\n") << u":1: line too long: 'b.example zz=1"_s
            << 4;
        QTest::newRow("50 MB host") << QByteArray(50 * 1024 * 1024, 'h') + "\n"
                                    << u":1: line too long: 'hhhh"_s << 4;
        QTest::newRow("a million bad lines")
            << QByteArray("zz=1\n").repeated(1000000) << u":1: empty host"_s
            << int(kMaxListedIssues) + 4;
        QTest::newRow("random bytes")
            << (QByteArray("c.example\n") + QByteArray("\x8f\x01\xfe\xff\x1b[2J")).repeated(1000)
            << u":2: not UTF-8: byte \\x8F at column 1"_s << 2;
    }
    void hugeInputGivesBoundedMessages() {
        QFETCH(QByteArray, content);
        QFETCH(QString, first);
        QFETCH(int, maxLines);
        const QString path = writeFile(u"huge.txt"_s, content);
        content.clear();
        const ProcessRun run =
            runLimited(m_binary, {u"import"_s, path, u"--database"_s, m_database});
        QVERIFY2(run.status == QProcess::NormalExit && run.exitCode == 3, qPrintable(describe(run)));
        QVERIFY2(QString::fromUtf8(run.err).startsWith(path + first), qPrintable(describe(run)));
        QVERIFY2(run.err.count('\n') <= maxLines, qPrintable(describe(run)));
        QVERIFY2(run.err.size() <= 300 * maxLines, qPrintable(describe(run)));
        QVERIFY2(!run.err.contains('\x1b'), qPrintable(describe(run))); // nothing raw echoed
        QCOMPARE(exported(), m_storedBefore);
        QFile::remove(path);
    }
};

QTEST_GUILESS_MAIN(TestImportLimits)
#include "tst_importlimits.moc"
