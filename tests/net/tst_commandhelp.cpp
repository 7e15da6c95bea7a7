// Every subcommand's --help names itself as a user types it ("certdash report"), never the path
// the binary was started from (cron and build trees start it by its full path).
#include <QProcess>
#include <QTest>

using namespace Qt::StringLiterals;

class TestCommandHelp : public QObject {
    Q_OBJECT
private slots:
    void helpNamesTheCommand_data() {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("name"); // as the usage line says it
        for (const char *command : {"scan", "report", "import", "export", "targets", "secret", "csr"})
            QTest::newRow(command) << QString::fromLatin1(command) << QString::fromLatin1(command);
        // `certdash fleet` has two subcommands (issue 15): its help names both, each its own.
        QTest::newRow("fleet") << u"fleet"_s << u"fleet config|read"_s;
        QTest::newRow("fleet config") << u"fleet config"_s << u"fleet config"_s;
        QTest::newRow("fleet read") << u"fleet read"_s << u"fleet read"_s;
    }
    void helpNamesTheCommand() {
        QFETCH(QString, command);
        QFETCH(QString, name);
        const QString binary = qEnvironmentVariable("CERTDASH_BINARY");
        if (binary.isEmpty())
            QSKIP("CERTDASH_BINARY is not set (run through ctest)");
        QProcess p;
        p.start(binary, command.split(u' ') << u"--help"_s); // ctest gives the full path
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 0);
        const QString out = QString::fromUtf8(p.readAllStandardOutput());
        const QString usage = out.section(u'\n', 0, 0);
        QVERIFY2(usage.startsWith(u"Usage: certdash %1 "_s.arg(name)), qPrintable(usage));
        QVERIFY2(!out.contains(binary), qPrintable(usage));
    }
};

QTEST_GUILESS_MAIN(TestCommandHelp)
#include "tst_commandhelp.moc"
