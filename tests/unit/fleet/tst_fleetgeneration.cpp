#include "cli/FleetCommand.h"
#include "cli/InventoryCommands.h"
#include "fleet/FleetConfig.h"
#include "fleet/YamlText.h"
#include "storage/Database.h"
#include "storage/TargetRepository.h"

#include "CommandRunner.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace certdash;
using namespace certdash::fleet;
using namespace Qt::StringLiterals;

namespace {
// Decodes one YAML double-quoted scalar (the escapes yamlQuoted writes, as YAML 1.2 defines
// them): the reader's side, to check that what is written reads back as the original.
QString yamlUnquote(const QString &quoted, bool *ok) {
    *ok = quoted.size() >= 2 && quoted.startsWith(u'"') && quoted.endsWith(u'"');
    QString out;
    for (qsizetype i = 1; *ok && i < quoted.size() - 1; ++i) {
        const QChar c = quoted.at(i);
        if (c == u'"' || c == u'\n' || c == u'\r' || c.unicode() == 0x85 || c.unicode() == 0x2028 ||
            c.unicode() == 0x2029) {
            *ok = false; // an unescaped quote or a line break would end or fold the scalar
        } else if (c != u'\\') {
            out += c;
        } else {
            const QChar e = quoted.at(++i);
            int hexDigits = 0;
            switch (e.unicode()) {
            case u'"':
                out += u'"';
                break;
            case u'\\':
                out += u'\\';
                break;
            case u'n':
                out += u'\n';
                break;
            case u'r':
                out += u'\r';
                break;
            case u't':
                out += u'\t';
                break;
            case u'x':
                hexDigits = 2;
                break;
            case u'u':
                hexDigits = 4;
                break;
            default:
                *ok = false;
            }
            if (hexDigits) {
                out += QChar(char16_t(quoted.mid(i + 1, hexDigits).toUInt(ok, 16)));
                i += hexDigits;
            }
        }
    }
    return out;
}

Target target(const QString &host, quint16 port = 443) {
    Target t;
    t.host = host;
    t.port = port;
    return t;
}

QJsonArray entries(const FleetConfig &config) {
    return QJsonDocument::fromJson(config.targetsJson).array();
}

// The lines of blackbox.yml that belong to module name (its header up to the next module).
QString moduleText(const FleetConfig &config, const QString &name) {
    const QString text = QString::fromUtf8(config.blackboxYml);
    const qsizetype at = text.indexOf(u"\n  "_s + name + u":\n"_s);
    if (at < 0)
        return {};
    const qsizetype next = text.indexOf(QRegularExpression(u"\n  [^ ]"_s), at + 1);
    return text.mid(at, next < 0 ? -1 : next - at);
}
} // namespace

class TestFleetGeneration : public QObject {
    Q_OBJECT
private slots:
    void yamlQuoting_data() {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("plain") << u"web.example.com"_s << u"\"web.example.com\""_s;
        QTest::newRow("quotes") << u"say \"hi\" 'there'"_s << u"\"say \\\"hi\\\" 'there'\""_s;
        QTest::newRow("colon and hash")
            << u"a: b # not a comment"_s << u"\"a: b # not a comment\""_s;
        QTest::newRow("newline") << u"line1\nkey: injected"_s << u"\"line1\\nkey: injected\""_s;
        QTest::newRow("backslash") << u"C:\\certs\\"_s << u"\"C:\\\\certs\\\\\""_s;
        QTest::newRow("control") << u"a\u0001b\tc\r"_s << u"\"a\\x01b\\tc\\r\""_s;
        QTest::newRow("yaml breaks")
            << u"a\u2028b\u0085c\uFEFF"_s << u"\"a\\u2028b\\x85c\\ufeff\""_s;
        QTest::newRow("unicode") << u"bücher.例え.テスト ✓"_s << u"\"bücher.例え.テスト ✓\""_s;
        QTest::newRow("yaml syntax")
            << u"- [x, {y: *z}] !tag &a |"_s << u"\"- [x, {y: *z}] !tag &a |\""_s;
        QTest::newRow("empty") << QString() << u"\"\""_s;
    }
    void yamlQuoting() {
        QFETCH(QString, value);
        QFETCH(QString, expected);
        const QString quoted = yamlQuoted(value);
        QCOMPARE(quoted, expected);
        bool ok = false;
        QCOMPARE(yamlUnquote(quoted, &ok), value);
        QVERIFY(ok);
    }

    void durations_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("ms"); // -1: refused
        QTest::addColumn<QString>("formatted");
        QTest::newRow("1s") << u"1s"_s << qint64(1000) << u"1s"_s;
        QTest::newRow("plain seconds") << u"90"_s << qint64(90'000) << u"90s"_s;
        QTest::newRow("minutes") << u"5m"_s << qint64(300'000) << u"5m"_s;
        QTest::newRow("compound") << u"1m30s"_s << qint64(90'000) << u"90s"_s;
        QTest::newRow("ms") << u"1500ms"_s << qint64(1500) << u"1500ms"_s;
        QTest::newRow("hour") << u"2h"_s << qint64(7'200'000) << u"2h"_s;
        QTest::newRow("zero") << u"0s"_s << qint64(-1) << QString();
        QTest::newRow("negative") << u"-5"_s << qint64(-1) << QString();
        QTest::newRow("unit only") << u"s"_s << qint64(-1) << QString();
        QTest::newRow("junk") << u"1 minute"_s << qint64(-1) << QString();
    }
    void durations() {
        QFETCH(QString, text);
        QFETCH(qint64, ms);
        QFETCH(QString, formatted);
        const auto parsed = parseDuration(text);
        QCOMPARE(parsed.value_or(-1), ms);
        if (parsed)
            QCOMPARE(formatDuration(*parsed), formatted);
    }

    // Whatever the inventory holds in its labels, targets.json reads back as exactly that.
    void hostileLabels_data() {
        QTest::addColumn<QString>("text");
        QTest::newRow("quotes") << u"o\"w'n\"er"_s;
        QTest::newRow("colon hash") << u"team: a # b"_s;
        QTest::newRow("newline") << u"a\nb: c"_s;
        QTest::newRow("braces") << u"{{ .Labels }} ${1} $x"_s;
        QTest::newRow("unicode") << u"équipe 運用 🔒"_s;
        QTest::newRow("backslash") << u"\\u0000 \\n"_s;
    }
    void hostileLabels() {
        QFETCH(QString, text);
        Target t = target(u"web.example.com"_s);
        t.name = text;
        t.owner = text;
        t.tags = {u"prod"_s, text};
        const FleetConfig config = generateFleetConfig({t}, FleetOptions{});
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(config.targetsJson, &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        const QJsonObject labels = doc.array().at(0).toObject().value(u"labels"_s).toObject();
        QCOMPARE(labels.value(u"target"_s).toString(), text);
        QCOMPARE(labels.value(u"owner"_s).toString(), text);
        QCOMPARE(labels.value(u"tags"_s).toString(), u"prod,"_s + text);
        QCOMPARE(labels.value(u"sni"_s).toString(), u"web.example.com"_s);
        // Nothing from the inventory's labels reaches the YAML files.
        QVERIFY(!config.blackboxYml.contains(text.toUtf8()));
        QVERIFY(!config.prometheusYml.contains(text.toUtf8()));
    }

    // One entry per target address; the SNI goes into the module as server_name.
    void entriesPerAddress() {
        Target pinned = target(u"api.example.com"_s, 8443);
        pinned.addresses = {u"192.0.2.10"_s, u"2001:db8::1"_s};
        Target byIp = target(u"198.51.100.7"_s);
        const FleetConfig config = generateFleetConfig({pinned, byIp}, FleetOptions{});
        const QJsonArray list = entries(config);
        QCOMPARE(list.size(), 3);
        QCOMPARE(config.entries, 3);
        QCOMPARE(list.at(0)[u"targets"_s].toArray().at(0).toString(), u"192.0.2.10:8443"_s);
        QCOMPARE(list.at(1)[u"targets"_s].toArray().at(0).toString(), u"[2001:db8::1]:8443"_s);
        QCOMPARE(list.at(2)[u"targets"_s].toArray().at(0).toString(), u"198.51.100.7:443"_s);
        const QString module = list.at(0)[u"labels"_s][u"module"_s].toString();
        QCOMPARE(list.at(1)[u"labels"_s][u"module"_s].toString(), module);
        const QString text = moduleText(config, module);
        QVERIFY2(text.contains(u"server_name: \"api.example.com\""_s), qPrintable(text));
        QVERIFY(text.contains(u"tls: true"_s));
        QVERIFY(text.contains(u"insecure_skip_verify: true"_s));
        QVERIFY(text.contains(u"timeout: 10s"_s));
        // An IP literal without sni= sends no SNI: its module names no server.
        const QString ipModule =
            moduleText(config, list.at(2)[u"labels"_s][u"module"_s].toString());
        QVERIFY(!ipModule.isEmpty());
        QVERIFY2(!ipModule.contains(u"server_name"_s), qPrintable(ipModule));
        QCOMPARE(config.modules, 2);
    }

    // Each SNI gets its own module; the same SNI shares one.
    void modulePerSni() {
        Target a = target(u"10.0.0.1"_s);
        a.sni = u"a.example"_s;
        Target b = target(u"10.0.0.2"_s);
        b.sni = u"b.example"_s;
        Target a2 = target(u"10.0.0.3"_s);
        a2.sni = u"a.example"_s;
        const FleetConfig config = generateFleetConfig({a, b, a2}, FleetOptions{});
        QCOMPARE(config.modules, 2);
        QCOMPARE(moduleNameFor(a), moduleNameFor(a2));
        QVERIFY(moduleNameFor(a) != moduleNameFor(b));
        QVERIFY(moduleText(config, moduleNameFor(b)).contains(u"server_name: \"b.example\""_s));
    }

    // STARTTLS: the dialogues blackbox can hold become query_response with starttls: true (and
    // no implicit TLS); LDAP, PostgreSQL and XMPP are listed, not written.
    void startTls_data() {
        QTest::addColumn<int>("protocol");
        QTest::addColumn<QString>("command"); // "" = not written
        QTest::newRow("smtp") << int(StartTls::Smtp) << u"STARTTLS\\r"_s;
        QTest::newRow("imap") << int(StartTls::Imap) << u"a1 STARTTLS\\r"_s;
        QTest::newRow("pop3") << int(StartTls::Pop3) << u"STLS\\r"_s;
        QTest::newRow("ftp") << int(StartTls::Ftp) << u"AUTH TLS\\r"_s;
        QTest::newRow("ldap") << int(StartTls::Ldap) << QString();
        QTest::newRow("postgres") << int(StartTls::Postgres) << QString();
        QTest::newRow("xmpp") << int(StartTls::Xmpp) << QString();
    }
    void startTls() {
        QFETCH(int, protocol);
        QFETCH(QString, command);
        Target t = target(u"mail.example.com"_s, 2525);
        t.startTls = StartTls(protocol);
        const FleetConfig config = generateFleetConfig({t}, FleetOptions{});
        if (command.isEmpty()) {
            QCOMPARE(entries(config).size(), 0);
            QCOMPARE(config.notes.size(), 1);
            QVERIFY(!config.notes.first().written);
            QVERIFY(config.notes.first().reason.contains(startTlsKey(t.startTls)));
            QVERIFY(config.readme.contains("mail.example.com:2525"));
            return;
        }
        QCOMPARE(entries(config).size(), 1);
        const QString text = moduleText(config, moduleNameFor(t));
        QVERIFY2(text.contains(u"query_response:"_s), qPrintable(text));
        QVERIFY2(text.contains(u"send: \""_s + command + u"\""_s), qPrintable(text));
        QVERIFY(text.contains(u"starttls: true"_s));
        QVERIFY(!text.contains(u"tls: true\n"_s.prepend(u' ')));
        QVERIFY(text.contains(u"server_name: \"mail.example.com\""_s));
        QCOMPARE(entries(config).at(0)[u"labels"_s][u"starttls"_s].toString(),
                 startTlsKey(t.startTls));
    }

    // What blackbox probes differently is listed with the target; what it cannot probe is listed
    // and left out; nothing is dropped without a word.
    void listedNotDropped() {
        Target disabled = target(u"old.example.com"_s);
        disabled.enabled = false;
        Target noSni = target(u"nosni.example.com"_s);
        noSni.noSni = true;
        Target noSniPinned = noSni;
        noSniPinned.host = u"nosni2.example.com"_s;
        noSniPinned.addresses = {u"192.0.2.5"_s};
        Target mtls = target(u"mtls.example.com"_s);
        mtls.connection.clientCertificate = u"/etc/certdash/client.p12"_s;
        Target proxied = target(u"inner.example.com"_s);
        proxied.connection.proxy = u"http://proxy.example:3128"_s;
        Target privateCa = target(u"intranet.example.com"_s);
        privateCa.acceptance.acceptSelfSigned = true;
        Target pinnedKey = target(u"pinned.example.com"_s);
        pinnedKey.acceptance.pinSha256 = u"ab"_s.repeated(32);
        const FleetConfig config = generateFleetConfig(
            {disabled, noSni, noSniPinned, mtls, proxied, privateCa, pinnedKey}, FleetOptions{});
        QStringList written;
        for (const auto &entry : entries(config))
            written << entry[u"labels"_s][u"host"_s].toString();
        QCOMPARE(written, (QStringList{u"nosni2.example.com"_s, u"mtls.example.com"_s,
                                       u"inner.example.com"_s, u"intranet.example.com"_s,
                                       u"pinned.example.com"_s}));
        QMap<QString, bool> listed;
        for (const FleetNote &note : config.notes)
            listed.insert(note.target.section(u':', 0, 0), note.written);
        QCOMPARE(listed.value(u"old.example.com"_s, true), false);
        QCOMPARE(listed.value(u"nosni.example.com"_s, true), false);
        QVERIFY(!listed.contains(u"nosni2.example.com"_s)); // no SNI to an address: the same probe
        QCOMPARE(listed.value(u"mtls.example.com"_s, false), true);
        QCOMPARE(listed.value(u"inner.example.com"_s, false), true);
        QCOMPARE(listed.value(u"intranet.example.com"_s, false), true);
        QCOMPARE(listed.value(u"pinned.example.com"_s, false), true);
        for (const FleetNote &note : config.notes)
            QVERIFY2(config.readme.contains((note.target + u": "_s + note.reason).toUtf8()),
                     qPrintable(note.target));
        // The no-SNI pinned target's module sends no server name.
        QVERIFY(!moduleText(config, moduleNameFor(noSniPinned)).contains(u"server_name"_s));
        // No path, proxy or pin reaches the files blackbox and Prometheus read.
        for (const QByteArray &file :
             {config.blackboxYml, config.prometheusYml, config.targetsJson}) {
            QVERIFY(!file.contains("client.p12"));
            QVERIFY(!file.contains("proxy.example"));
            QVERIFY(!file.contains("abab"));
        }
    }

    // prometheus.yml: one /probe job per exporter with the standard relabelling, and blackbox's
    // own metrics; the scrape timeout never exceeds the interval.
    void prometheusJobs() {
        FleetOptions options;
        options.exporters = {u"10.1.0.5:9115"_s, u"[2001:db8::9]:9115"_s};
        options.intervalMs = 1000;
        options.timeoutMs = 5000;
        const QString text =
            QString::fromUtf8(generateFleetConfig({target(u"a.example"_s)}, options).prometheusYml);
        QVERIFY(text.contains(u"scrape_interval: 1s\n"_s));
        QVERIFY2(text.contains(u"scrape_timeout: 1s\n"_s), qPrintable(text));
        QCOMPARE(text.count(u"metrics_path: /probe"_s), 2);
        QCOMPARE(text.count(u"- targets.json"_s), 2);
        QCOMPARE(
            text.count(u"source_labels: [__address__]\n        target_label: __param_target"_s), 2);
        QCOMPARE(text.count(u"source_labels: [module]\n        target_label: __param_module"_s), 2);
        QVERIFY(text.contains(u"replacement: \"10.1.0.5:9115\""_s));
        QVERIFY(text.contains(u"replacement: \"[2001:db8::9]:9115\""_s));
        QVERIFY(text.contains(u"job_name: \"blackbox_exporter\""_s));
        QVERIFY(text.contains(u"          - \"[2001:db8::9]:9115\"\n"_s));
    }

    void exporterValues_data() {
        QTest::addColumn<QString>("value");
        QTest::addColumn<bool>("good");
        QTest::newRow("ipv4") << u"127.0.0.1:9115"_s << true;
        QTest::newRow("name") << u"probe.zone-a.example:9115"_s << true;
        QTest::newRow("ipv6") << u"[::1]:9115"_s << true;
        QTest::newRow("no port") << u"127.0.0.1"_s << false;
        QTest::newRow("path") << u"host:9115/probe"_s << false;
        QTest::newRow("newline") << u"host:9115\nx: y"_s << false;
        QTest::newRow("quote") << u"ho\"st:9115"_s << false;
        QTest::newRow("empty") << QString() << false;
    }
    void exporterValues() {
        QFETCH(QString, value);
        QFETCH(bool, good);
        QCOMPARE(exporterProblem(value).isEmpty(), good);
    }

    // The command: writes the four files, lists on stderr, exit codes 0 and 3.
    void command() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QFile list(dir.filePath(u"targets.txt"_s));
        QVERIFY(list.open(QIODevice::WriteOnly));
        list.write("web.example.com:443\nldap.example.com:389 starttls=ldap\n");
        list.close();
        const QString out = dir.filePath(u"fleet"_s);
        const auto run =
            test::runCommand(&cli::runFleet, {u"config"_s, u"--targets"_s, list.fileName(),
                                              u"--output"_s, out, u"--interval"_s, u"30s"_s});
        QCOMPARE(run.exitCode, 0);
        for (const char *name : {"blackbox.yml", "targets.json", "prometheus.yml", "README.txt"})
            QVERIFY2(QFile::exists(QDir(out).filePath(QString::fromLatin1(name))), name);
        QVERIFY2(run.err.contains(u"ldap.example.com:389"_s), qPrintable(run.err));
        QVERIFY(run.err.contains(u"STARTTLS ldap"_s));

        const auto noOutput =
            test::runCommand(&cli::runFleet, {u"config"_s, u"--targets"_s, list.fileName()});
        QCOMPARE(noOutput.exitCode, 3);
        QVERIFY(noOutput.err.contains(u"--output"_s));
        const auto badInterval =
            test::runCommand(&cli::runFleet, {u"config"_s, u"--targets"_s, list.fileName(),
                                              u"--output"_s, out, u"--interval"_s, u"soon"_s});
        QCOMPARE(badInterval.exitCode, 3);
        QVERIFY(badInterval.err.contains(u"'soon'"_s));
        const auto badExporter =
            test::runCommand(&cli::runFleet, {u"config"_s, u"--targets"_s, list.fileName(),
                                              u"--output"_s, out, u"--exporter"_s, u"nohost"_s});
        QCOMPARE(badExporter.exitCode, 3);
        QCOMPARE(test::runCommand(&cli::runFleet, {u"read"_s}).exitCode, 3);
    }

    // The stored inventory (the default source), with what the store keeps: owner, tags, SNI.
    void fromDatabase() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QFile list(dir.filePath(u"targets.txt"_s));
        QVERIFY(list.open(QIODevice::WriteOnly));
        list.write("192.0.2.1:8443 sni=shop.example owner=web-team tags=prod,eu\n");
        list.close();
        const QString db = dir.filePath(u"estate.sqlite"_s);
        const auto import =
            test::runCommand(&cli::runImport, {list.fileName(), u"--database"_s, db});
        QVERIFY2(import.exitCode == 0, qPrintable(import.err));
        {
            // A tag's acceptance applies to the target as a scan of the store would apply it.
            auto store = Database::open(db, nullptr);
            QVERIFY(store);
            const FixedClock clock(test::pinnedNow());
            TagPolicy eu;
            eu.tag = u"eu"_s;
            eu.acceptance.acceptSelfSigned = true;
            QVERIFY(TargetRepository(*store, clock).setTagPolicy(eu));
        }
        const QString out = dir.filePath(u"fleet"_s);
        const auto run = test::runCommand(&cli::runFleet,
                                          {u"config"_s, u"--database"_s, db, u"--output"_s, out});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.err.contains(u"192.0.2.1:8443: accept_self_signed"_s), qPrintable(run.err));
        QFile targets(QDir(out).filePath(u"targets.json"_s));
        QVERIFY(targets.open(QIODevice::ReadOnly));
        const QJsonArray list2 = QJsonDocument::fromJson(targets.readAll()).array();
        QCOMPARE(list2.size(), 1);
        const QJsonObject labels = list2.at(0)[u"labels"_s].toObject();
        QCOMPARE(list2.at(0)[u"targets"_s].toArray().at(0).toString(), u"192.0.2.1:8443"_s);
        QCOMPARE(labels.value(u"sni"_s).toString(), u"shop.example"_s);
        QCOMPARE(labels.value(u"owner"_s).toString(), u"web-team"_s);
        QCOMPARE(labels.value(u"tags"_s).toString(), u"eu,prod"_s); // the store sorts tags
        const auto both =
            test::runCommand(&cli::runFleet, {u"config"_s, u"--database"_s, db, u"--targets"_s,
                                              list.fileName(), u"--output"_s, out});
        QCOMPARE(both.exitCode, 3);
    }
};

QTEST_GUILESS_MAIN(TestFleetGeneration)
#include "tst_fleetgeneration.moc"
