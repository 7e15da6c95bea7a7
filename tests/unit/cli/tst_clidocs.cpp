// certdash(1) and the bash completion keep up with the command line: every command and every
// option that `certdash COMMAND --help` lists is in the man page (in that command's section)
// and is offered by the completion (run in bash, as a user's Tab would run it).
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
const QString kManPage = QStringLiteral(CERTDASH_SOURCE_DIR "/installer/certdash.1");
const QString kCompletion =
    QStringLiteral(CERTDASH_SOURCE_DIR "/installer/bash-completion/certdash");
const QString kBashCompletion = QStringLiteral("/usr/share/bash-completion/bash_completion");

QString readText(const QString &path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

QString helpOf(const QStringList &arguments) {
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"LC_ALL"_s, u"C"_s);
    env.insert(u"LANG"_s, u"C"_s);
    process.setProcessEnvironment(env);
    process.start(qEnvironmentVariable("CERTDASH_BINARY"), arguments);
    if (!process.waitForFinished(30000) || process.exitCode() != 0)
        return {};
    return QString::fromUtf8(process.readAllStandardOutput());
}

// The commands of `certdash --help`: the indented words under "Commands".
QStringList commandsIn(const QString &help) {
    QStringList commands;
    const int start = help.indexOf(u"Commands"_s);
    const int end = help.indexOf(u"Options"_s, start);
    static const QRegularExpression line(u"^  ([a-z]+)  "_s, QRegularExpression::MultilineOption);
    for (const auto &m : line.globalMatch(help.mid(start, end - start)))
        commands << m.captured(1);
    return commands;
}

// Every option a help text lists: "-x, --long <VALUE>" lines give -x and --long.
QStringList optionsIn(const QString &help) {
    QStringList options;
    static const QRegularExpression line(u"^  (-.*?)(?:  |$)"_s,
                                         QRegularExpression::MultilineOption);
    static const QRegularExpression option(u"--?[a-z][a-z-]*"_s);
    for (const auto &m : line.globalMatch(help)) {
        for (const auto &o : option.globalMatch(m.captured(1)))
            options << o.captured(0);
    }
    options.removeDuplicates();
    return options;
}

// The man page's section of one command (".SS "certdash scan"" up to the next section).
QString manSection(const QString &man, const QString &command) {
    const int start = command.isEmpty() ? man.indexOf(u"\n.SH OPTIONS"_s)
                                        : man.indexOf(u".SS \"certdash %1"_s.arg(command));
    if (start < 0)
        return {};
    static const QRegularExpression next(u"\n\\.S[SH] "_s);
    const int end = man.indexOf(next, start + 1);
    return man.mid(start, end < 0 ? -1 : end - start);
}

// What the completion offers for `certdash WORDS... CURRENT<Tab>`, run in bash with
// bash-completion loaded.
QStringList complete(const QStringList &words, const QString &current) {
    QStringList all = QStringList{u"certdash"_s} + words + QStringList{current};
    QStringList quoted;
    for (const QString &w : all)
        quoted << u"'%1'"_s.arg(w);
    const QString script =
        u"source '%1'; source '%2'; COMP_WORDS=(%3); COMP_CWORD=%4; "
        "COMP_LINE='%5'; COMP_POINT=${#COMP_LINE}; _certdash; "
        "printf '%s\\n' \"${COMPREPLY[@]}\""_s.arg(kBashCompletion, kCompletion, quoted.join(u' '))
            .arg(all.size() - 1)
            .arg(all.join(u' '));
    QProcess bash;
    bash.start(u"bash"_s, {u"--norc"_s, u"-c"_s, script});
    if (!bash.waitForFinished(30000))
        return {u"(bash did not finish)"_s};
    return QString::fromUtf8(bash.readAllStandardOutput()).split(u'\n', Qt::SkipEmptyParts);
}
} // namespace

class TestCliDocs : public QObject {
    Q_OBJECT

private:
    QString m_man;
    QString m_completion;
    QStringList m_commands;

private slots:
    void initTestCase() {
        if (qEnvironmentVariableIsEmpty("CERTDASH_BINARY"))
            QSKIP("CERTDASH_BINARY is not set (run through ctest)");
        m_man = readText(kManPage);
        m_completion = readText(kCompletion);
        QVERIFY2(!m_man.isEmpty(), qPrintable(kManPage));
        QVERIFY2(!m_completion.isEmpty(), qPrintable(kCompletion));
        m_commands = commandsIn(helpOf({u"--help"_s}));
        QVERIFY2(m_commands.size() >= 7, qPrintable(m_commands.join(u' ')));
    }

    // The man page's header names the version the binary reports.
    void manPageNamesTheVersion() {
        const QString version = helpOf({u"--version"_s}).trimmed(); // "CertDash 0.1.0"
        QVERIFY(!version.isEmpty());
        QVERIFY2(m_man.contains(u".TH CERTDASH 1 "_s) && m_man.contains(u"\"%1\""_s.arg(version)),
                 qPrintable(version));
    }

    void everyCommandIsDocumentedAndCompleted() {
        const QStringList offered = complete({}, {});
        for (const QString &command : std::as_const(m_commands)) {
            QVERIFY2(!manSection(m_man, command).isEmpty(),
                     qPrintable(u"certdash.1 has no section for '%1'"_s.arg(command)));
            if (QFile::exists(kBashCompletion))
                QVERIFY2(offered.contains(command),
                         qPrintable(u"the completion does not offer '%1': %2"_s.arg(
                             command, offered.join(u' '))));
        }
    }

    void everyOptionIsDocumentedAndCompleted_data() {
        QTest::addColumn<QString>("command");
        QTest::newRow("certdash") << QString();
        for (const QString &command : std::as_const(m_commands))
            QTest::newRow(qPrintable(command)) << command;
        // Subcommands with options of their own.
        for (const QString &command : {u"fleet config"_s, u"fleet read"_s})
            QTest::newRow(qPrintable(command)) << command;
    }
    void everyOptionIsDocumentedAndCompleted() {
        QFETCH(QString, command);
        const QStringList words = command.isEmpty() ? QStringList{} : command.split(u' ');
        const QString help = helpOf(words + QStringList{u"--help"_s});
        QVERIFY2(!help.isEmpty(), "no help text");
        const QStringList options = optionsIn(help);
        if (command != u"secret"_s) // its help lists verbs, not options
            QVERIFY2(options.contains(u"--help"_s), qPrintable(help));
        const QString section = manSection(m_man, command);
        QVERIFY(!section.isEmpty());
        const bool canRunCompletion = QFile::exists(kBashCompletion);
        const QStringList offered = canRunCompletion ? complete(words, u"-"_s) : QStringList{};
        for (const QString &option : options) {
            QString roff = option;
            roff.replace(u'-', u"\\-"_s);
            QVERIFY2(section.contains(roff),
                     qPrintable(u"certdash.1 does not document %1 %2"_s.arg(command, option)));
            if (canRunCompletion)
                QVERIFY2(offered.contains(option),
                         qPrintable(u"the completion does not offer %1 %2 (offers: %3)"_s.arg(
                             command, option, offered.join(u' '))));
            else
                QVERIFY2(m_completion.contains(option),
                         qPrintable(u"the completion does not list %1"_s.arg(option)));
        }
    }

    void optionValuesAreCompleted() {
        if (!QFile::exists(kBashCompletion))
            QSKIP("bash-completion is not installed");
        QCOMPARE(complete({u"scan"_s, u"--engine"_s}, {}), (QStringList{u"openssl"_s, u"qt"_s}));
        QCOMPARE(complete({u"scan"_s, u"--format"_s}, {}),
                 (QStringList{u"csv"_s, u"json"_s, u"prometheus"_s}));
        QCOMPARE(complete({u"export"_s, u"-f"_s}, {}), (QStringList{u"csv"_s, u"json"_s}));
        QCOMPARE(complete({u"import"_s, u"--input-format"_s}, u"k"_s), QStringList{u"kubectl"_s});
        QCOMPARE(complete({u"secret"_s}, {}), (QStringList{u"set"_s, u"delete"_s, u"check"_s}));
    }

    void filesAreCompletedWhereAFileIsExpected() {
        if (!QFile::exists(kBashCompletion))
            QSKIP("bash-completion is not installed");
        // The man page's own directory: a file that certainly exists.
        const QString prefix = QStringLiteral(CERTDASH_SOURCE_DIR "/installer/certdash.");
        for (const QStringList &words : {QStringList{u"scan"_s, u"--targets"_s},
                                         QStringList{u"--database"_s}, QStringList{u"import"_s}}) {
            QVERIFY2(complete(words, prefix).contains(prefix + u"1"_s),
                     qPrintable(words.join(u' ')));
        }
    }
};

QTEST_GUILESS_MAIN(TestCliDocs)
#include "tst_clidocs.moc"
