#include "inventory/TargetParser.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace certdash;

namespace {

// Everything a user can set on a target, in one comparable line.
QString summary(const Target &t) {
    const auto days = [](const std::optional<int> &d) {
        return d ? QString::number(*d) : QStringLiteral("-");
    };
    return QStringLiteral(
               "%1|%2|sni=%3|addr=%4|%5|name=%6|no_sni=%7|r/w/c=%8/%9/%10|tags=%11|owner=%12")
        .arg(t.host)
        .arg(t.port)
        .arg(t.effectiveSni(), t.addresses.join(QLatin1Char(',')), startTlsKey(t.startTls), t.name,
             t.noSni ? QStringLiteral("1") : QStringLiteral("0"), days(t.rotationDays),
             days(t.warningDays))
        .arg(days(t.criticalDays), t.tags.join(QLatin1Char(',')), t.owner);
}

QString issuesText(const ParsedTargets &parsed) {
    QStringList lines;
    for (const ParseIssue &issue : parsed.issues)
        lines << issue.toString();
    return lines.join(QLatin1Char('\n'));
}

ParsedTargets parse(const QString &content, const QString &name,
                    TargetFormat format = TargetFormat::Auto) {
    return parseTargets(content.toUtf8(), name, format);
}

// An issue list must hold exactly one issue, starting with `prefix` and mentioning `fragment`.
void verifySingleIssue(const ParsedTargets &parsed, const QString &prefix,
                       const QString &fragment) {
    QVERIFY2(parsed.issues.size() == 1,
             qPrintable(QStringLiteral("expected one issue, got:\n") + issuesText(parsed)));
    const QString text = parsed.issues.first().toString();
    QVERIFY2(text.startsWith(prefix), qPrintable(text));
    QVERIFY2(text.contains(fragment), qPrintable(text));
}

} // namespace

class TestTargetParser : public QObject {
    Q_OBJECT
private slots:
    void acceptedLines_data() {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("expected");
        const QString plain =
            QStringLiteral("|sni=%1|addr=||name=|no_sni=0|r/w/c=-/-/-|tags=|owner=");
        QTest::newRow("name, default port")
            << "example.com"
            << "example.com|443|sni=example.com|addr=||name=|no_sni=0|r/w/c=-/-/-|tags=|owner=";
        QTest::newRow("name with port")
            << "example.com:8443"
            << QStringLiteral("example.com|8443") + plain.arg(QStringLiteral("example.com"));
        QTest::newRow("idn -> punycode sni")
            << QString::fromUtf8("bücher.example:443")
            << QString::fromUtf8("bücher.example|443") +
                   plain.arg(QStringLiteral("xn--bcher-kva.example"));
        QTest::newRow("ipv4: no sni")
            << "192.0.2.7:636" << QStringLiteral("192.0.2.7|636") + plain.arg(QString());
        QTest::newRow("ipv6 in brackets with port")
            << "[2001:DB8::1]:8443" << QStringLiteral("2001:db8::1|8443") + plain.arg(QString());
        QTest::newRow("ipv6 in brackets, default port")
            << "[2001:db8::1]" << QStringLiteral("2001:db8::1|443") + plain.arg(QString());
        QTest::newRow("bare ipv6 without port")
            << "2001:db8::1" << QStringLiteral("2001:db8::1|443") + plain.arg(QString());
        QTest::newRow("sni override on an ip")
            << "192.0.2.7 sni=api.internal"
            << QStringLiteral("192.0.2.7|443") + plain.arg(QStringLiteral("api.internal"));
        QTest::newRow("unicode sni override")
            << QString::fromUtf8("192.0.2.7 sni=münchen.example")
            << QStringLiteral("192.0.2.7|443") +
                   plain.arg(QStringLiteral("xn--mnchen-3ya.example"));
        QTest::newRow("no_sni")
            << "example.com no_sni"
            << "example.com|443|sni=|addr=||name=|no_sni=1|r/w/c=-/-/-|tags=|owner=";
        QTest::newRow("no_sni=false")
            << "example.com no_sni=false"
            << QStringLiteral("example.com|443") + plain.arg(QStringLiteral("example.com"));
        QTest::newRow("pinned addresses canonicalised")
            << "example.com address=192.0.2.1,2001:DB8:0::5,192.0.2.1"
            << "example.com|443|sni=example.com|addr=192.0.2.1,2001:db8::5||name=|no_sni=0|r/w/c=-/"
               "-/-|tags=|owner=";
        QTest::newRow("quoted name with spaces")
            << "example.com name=\"Payments API\" owner=\"team \\\"pay\\\"\""
            << "example.com|443|sni=example.com|addr=||name=Payments "
               "API|no_sni=0|r/w/c=-/-/-|tags=|owner=team \"pay\"";
        QTest::newRow("trailing comment")
            << "example.com:8443   # the old portal"
            << QStringLiteral("example.com|8443") + plain.arg(QStringLiteral("example.com"));
        QTest::newRow("hash inside a value is text")
            << "example.com name=a#b"
            << "example.com|443|sni=example.com|addr=||name=a#b|no_sni=0|r/w/c=-/-/-|tags=|owner=";
        QTest::newRow("policy, tags and owner")
            << "example.com rotation=60 warning=21 critical=5 tags=prod,eu owner=ops"
            << "example.com|443|sni=example.com|addr=||name=|no_sni=0|r/w/c=60/21/"
               "5|tags=prod,eu|owner=ops";
        QTest::newRow("critical equal to warning")
            << "example.com warning=7 critical=7"
            << "example.com|443|sni=example.com|addr=||name=|no_sni=0|r/w/c=-/7/7|tags=|owner=";
        QTest::newRow("starttls keeps explicit port")
            << "mail.example:587 starttls=smtp"
            << "mail.example|587|sni=mail.example|addr=|smtp|name=|no_sni=0|r/w/c=-/-/"
               "-|tags=|owner=";
        QTest::newRow("tabs separate too")
            << "example.com\tname=x"
            << "example.com|443|sni=example.com|addr=||name=x|no_sni=0|r/w/c=-/-/-|tags=|owner=";
        // Every STARTTLS protocol brings its own default port.
        const QList<QPair<QString, int>> protocols{
            {QStringLiteral("smtp"), 25},      {QStringLiteral("imap"), 143},
            {QStringLiteral("pop3"), 110},     {QStringLiteral("ftp"), 21},
            {QStringLiteral("ldap"), 389},     {QStringLiteral("xmpp"), 5222},
            {QStringLiteral("postgres"), 5432}};
        for (const auto &[key, port] : protocols) {
            QTest::addRow("starttls=%s default port", qPrintable(key))
                << QStringLiteral("svc.example starttls=%1").arg(key.toUpper())
                << QStringLiteral("svc.example|%1|sni=svc.example|addr=|%2|name=|no_sni=0|r/w/c=-/"
                                  "-/-|tags=|owner=")
                       .arg(port)
                       .arg(key);
        }
    }

    void acceptedLines() {
        QFETCH(QString, line);
        QFETCH(QString, expected);
        // Comments and blank lines around the target must not count as targets or shift lines.
        const ParsedTargets parsed =
            parse(QStringLiteral("# inventory\n\n   # indented comment\n") + line +
                      QStringLiteral("\n\n"),
                  QStringLiteral("t.txt"), TargetFormat::Lines);
        QVERIFY2(parsed.ok(), qPrintable(issuesText(parsed)));
        QCOMPARE(parsed.targets.size(), 1);
        QCOMPARE(summary(parsed.targets.first()), expected);
        QCOMPARE(parsed.targets.first().origin.file, QStringLiteral("t.txt"));
        QCOMPARE(parsed.targets.first().origin.line, 4);
    }

    void lineErrors_data() {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("port not a number") << "example.com:https"
                                           << "bad port 'https': not a number";
        QTest::newRow("port empty") << "example.com:"
                                    << "bad port '': not a number";
        QTest::newRow("port zero") << "example.com:0"
                                   << "bad port '0': must be between 1 and 65535";
        QTest::newRow("port too big") << "example.com:65536"
                                      << "bad port '65536': must be between";
        QTest::newRow("port huge") << "example.com:99999999999"
                                   << "bad port '99999999999'";
        QTest::newRow("unknown key names it and the valid ones")
            << "example.com colour=red"
            << "unknown key 'colour' (valid keys: name, sni, no_sni, address, starttls";
        QTest::newRow("port as a key") << "example.com port=8443"
                                       << "unknown key 'port': host and port go first";
        QTest::newRow("stray word") << "example.com extra"
                                    << "unexpected 'extra': expected key=value";
        QTest::newRow("unknown starttls lists valid")
            << "example.com starttls=gopher"
            << "unknown STARTTLS protocol 'gopher' (valid: smtp, imap, pop3, ftp, ldap, xmpp, "
               "postgres)";
        QTest::newRow("empty host before port") << ":443"
                                                << "empty host";
        QTest::newRow("empty brackets") << "[]:443"
                                        << "empty host";
        QTest::newRow("line starts with a key") << "sni=example.com"
                                                << "empty host";
        QTest::newRow("invalid host name") << "bad_host!.example"
                                           << "invalid host name 'bad_host!.example'";
        QTest::newRow("label starts with hyphen") << "-web.example"
                                                  << "invalid host name '-web.example'";
        QTest::newRow("wildcard host") << "*.example.com"
                                       << "invalid host name '*.example.com'";
        QTest::newRow("bad ipv4 host") << "10.0.0.256"
                                       << "bad address '10.0.0.256'";
        QTest::newRow("bad ipv6 in brackets") << "[2001:db8::zz]:443"
                                              << "bad address '2001:db8::zz'";
        QTest::newRow("ipv4 in brackets") << "[192.0.2.1]:443"
                                          << "bad address '192.0.2.1'";
        QTest::newRow("unclosed bracket") << "[2001:db8::1:443"
                                          << "missing ']'";
        QTest::newRow("text after bracket") << "[2001:db8::1]x"
                                            << "unexpected text after ']'";
        QTest::newRow("ipv6 with port needs brackets") << "2001:db8::1::443"
                                                       << "[ADDRESS]:PORT";
        QTest::newRow("bad pinned address") << "example.com address=192.0.2.1,nope"
                                            << "bad address 'nope'";
        QTest::newRow("empty pinned address") << "example.com address="
                                              << "bad address: empty";
        QTest::newRow("rotation zero") << "example.com rotation=0"
                                       << "bad number for rotation: '0'";
        QTest::newRow("warning not a number") << "example.com warning=soon"
                                              << "bad number for warning: 'soon'";
        QTest::newRow("critical negative") << "example.com critical=-1"
                                           << "bad number for critical: '-1'";
        QTest::newRow("critical fractional") << "example.com critical=1.5"
                                             << "bad number for critical: '1.5'";
        QTest::newRow("critical above warning")
            << "example.com warning=7 critical=14"
            << "critical (14 days) must not exceed warning (7 days)";
        QTest::newRow("sni with no_sni") << "example.com sni=a.example no_sni"
                                         << "sni and no_sni cannot be combined";
        QTest::newRow("no_sni before sni") << "example.com no_sni sni=a.example"
                                           << "sni and no_sni cannot be combined";
        QTest::newRow("duplicate key") << "example.com name=a name=b"
                                       << "duplicate key 'name'";
        QTest::newRow("duplicate flag") << "example.com no_sni no_sni"
                                        << "duplicate key 'no_sni'";
        QTest::newRow("key without value") << "example.com sni"
                                           << "missing value for 'sni'";
        QTest::newRow("empty sni") << "example.com sni="
                                   << "empty sni";
        QTest::newRow("ip as sni") << "example.com sni=192.0.2.1"
                                   << "a server name cannot be an IP address";
        QTest::newRow("invalid sni") << "example.com sni=bad!name"
                                     << "invalid sni name 'bad!name'";
        QTest::newRow("bad no_sni value") << "example.com no_sni=maybe"
                                          << "bad value for no_sni: 'maybe'";
        QTest::newRow("unterminated quote") << "example.com name=\"Payments API"
                                            << "unterminated quote";
    }

    void lineErrors() {
        QFETCH(QString, line);
        QFETCH(QString, fragment);
        // A good line before and after: the bad one is reported at its own line, the rest parse.
        const ParsedTargets parsed = parse(QStringLiteral("# targets\nfirst.example\n\n") + line +
                                               QStringLiteral("\nlast.example\n"),
                                           QStringLiteral("hosts.txt"), TargetFormat::Lines);
        verifySingleIssue(parsed, QStringLiteral("hosts.txt:4: "), fragment);
        QCOMPARE(parsed.targets.size(), 2);
        QCOMPARE(parsed.targets.at(1).origin.line, 5);
    }

    void everyProblemIsReportedInOnePass() {
        const ParsedTargets parsed = parse(
            QStringLiteral("a.example:0\nb.example\nc.example starttls=x warning=0\n[::1]:99999\n"),
            QStringLiteral("t.txt"), TargetFormat::Lines);
        QCOMPARE(parsed.targets.size(), 1);
        QVERIFY(!parsed.ok());
        QStringList locations;
        for (const ParseIssue &issue : parsed.issues)
            locations << issue.where.toString();
        QCOMPARE(locations, (QStringList{QStringLiteral("t.txt:1"), QStringLiteral("t.txt:3"),
                                         QStringLiteral("t.txt:3"), QStringLiteral("t.txt:4")}));
    }

    void duplicatesAreMerged() {
        const ParsedTargets parsed = parse(
            QString::fromUtf8("a.example\nA.EXAMPLE:443 name=again\na.example address=192.0.2.1\n"
                              "bücher.example\nxn--bcher-kva.example\na.example:8443\n"),
            QStringLiteral("t.txt"));
        QVERIFY2(parsed.ok(), qPrintable(issuesText(parsed)));
        QCOMPARE(parsed.duplicatesMerged, 2);
        QCOMPARE(parsed.targets.size(), 4);
        // The first occurrence wins, with its own line.
        QCOMPARE(parsed.targets.at(0).name, QString());
        QCOMPARE(parsed.targets.at(0).origin.line, 1);
        QCOMPARE(parsed.targets.at(1).addresses, QStringList{QStringLiteral("192.0.2.1")});
        QCOMPARE(parsed.targets.at(2).origin.line, 4);
        QCOMPARE(parsed.targets.at(3).port, quint16(8443));
    }

    void csvAccepted_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QStringList>("expected"); // summary per target
        QTest::addColumn<QList<int>>("lines");
        QTest::newRow("any column order, any case")
            << QByteArray("Port,HOST,Name,StartTLS\n8443,a.example,Alpha,\n,mail.example,,imap\n")
            << QStringList{QStringLiteral("a.example|8443|sni=a.example|addr=||name=Alpha|no_sni=0|"
                                          "r/w/c=-/-/-|tags=|owner="),
                           QStringLiteral("mail.example|143|sni=mail.example|addr=|imap|name=|no_"
                                          "sni=0|r/w/c=-/-/-|tags=|owner=")}
            << QList<int>{2, 3};
        QTest::newRow("bom and semicolons, addresses and tags inside quoted cells")
            << QByteArray("\xEF\xBB\xBFhost;address;tags;no_sni\n"
                          "a.example;\"192.0.2.1 192.0.2.2;2001:db8::1\";\"prod,eu\";true\n"
                          "b.example;\"192.0.2.9, 192.0.2.10\";ops;0\n")
            << QStringList{QStringLiteral("a.example|443|sni=|addr=192.0.2.1,192.0.2.2,2001:db8::1|"
                                          "|name=|no_sni=1|r/w/c=-/-/-|tags=prod,eu|owner="),
                           QStringLiteral("b.example|443|sni=b.example|addr=192.0.2.9,192.0.2.10||"
                                          "name=|no_sni=0|r/w/c=-/-/-|tags=ops|owner=")}
            << QList<int>{2, 3};
        QTest::newRow("quoted newline: next record keeps its physical line")
            << QByteArray("host,notes,name\r\na.example,\"two\r\nlines\",\"say "
                          "\"\"hi\"\"\"\r\nb.example,,\r\n")
            << QStringList{QStringLiteral("a.example|443|sni=a.example|addr=||name=say "
                                          "\"hi\"|no_sni=0|r/w/c=-/-/-|tags=|owner="),
                           QStringLiteral("b.example|443|sni=b.example|addr=||name=|no_sni=0|r/w/"
                                          "c=-/-/-|tags=|owner=")}
            << QList<int>{2, 4};
        QTest::newRow("comments, blank and empty rows, policy columns")
            << QByteArray("# exported by hand\nhost,rotation,warning,critical,owner\n\n,,,,\n"
                          "a.example:444,90,20,3,\"Ops, EU\"\n")
            << QStringList{QStringLiteral("a.example|444|sni=a.example|addr=||name=|no_sni=0|r/w/"
                                          "c=90/20/3|tags=|owner=Ops, EU")}
            << QList<int>{5};
        QTest::newRow("ipv6 host cell with and without brackets")
            << QByteArray("host,port\n2001:db8::1,8443\n[2001:db8::2],\n")
            << QStringList{QStringLiteral("2001:db8::1|8443|sni=|addr=||name=|no_sni=0|r/w/c=-/-/"
                                          "-|tags=|owner="),
                           QStringLiteral("2001:db8::2|443|sni=|addr=||name=|no_sni=0|r/w/c=-/-/"
                                          "-|tags=|owner=")}
            << QList<int>{2, 3};
    }

    void csvAccepted() {
        QFETCH(QByteArray, content);
        QFETCH(QStringList, expected);
        QFETCH(QList<int>, lines);
        QCOMPARE(detectTargetFormat(content), TargetFormat::Csv);
        const ParsedTargets parsed = parseTargets(content, QStringLiteral("t.csv"));
        QVERIFY2(parsed.ok(), qPrintable(issuesText(parsed)));
        QStringList got;
        QList<int> gotLines;
        for (const Target &t : parsed.targets) {
            got << summary(t);
            gotLines << t.origin.line;
        }
        QCOMPARE(got, expected);
        QCOMPARE(gotLines, lines);
    }

    void csvErrors_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("prefix");
        QTest::addColumn<QString>("fragment");
        QTest::addColumn<int>("targets"); // good records that still parse
        QTest::newRow("unknown columns named")
            << QByteArray("host,colour,Size\na.example,red,1\n") << "t.csv:1: "
            << "unknown column(s) 'colour', 'Size' (valid columns: name, host, port" << 0;
        QTest::newRow("missing host column")
            << QByteArray("# list\nname,port\nA,443\n") << "t.csv:2: "
            << "missing 'host' column" << 0;
        QTest::newRow("duplicate column") << QByteArray("host,port,PORT\na,1,2\n") << "t.csv:1: "
                                          << "column 'port' appears twice" << 0;
        QTest::newRow("bad port after a multi-line record")
            << QByteArray("host,port,notes\na.example,,\"x\ny\nz\"\nb.example,0,\n") << "t.csv:5: "
            << "bad port '0'" << 1;
        QTest::newRow("port twice") << QByteArray("host,port\na.example:443,443\n") << "t.csv:2: "
                                    << "port given twice" << 0;
        QTest::newRow("text after closing quote")
            << QByteArray("host,name\n\"a.example\"x,A\nb.example,B\n") << "t.csv:2: "
            << "text after a closing quote" << 1;
        QTest::newRow("unterminated quote at end")
            << QByteArray("host,name\nb.example,B\na.example,\"A\n") << "t.csv:3: "
            << "unterminated quoted cell" << 1;
        QTest::newRow("too many cells")
            << QByteArray("host,port\na.example,443,extra\n") << "t.csv:2: "
            << "3 cells but the header names 2 columns" << 0;
        QTest::newRow("empty host cell") << QByteArray("host,name\n,Orphan\n") << "t.csv:2: "
                                         << "empty host" << 0;
        QTest::newRow("bad no_sni") << QByteArray("host,no_sni\na.example,perhaps\n") << "t.csv:2: "
                                    << "bad value for no_sni: 'perhaps'" << 0;
        QTest::newRow("semicolon file, bad starttls")
            << QByteArray("host;starttls\na.example;smtp\nb.example;smtps\n") << "t.csv:3: "
            << "unknown STARTTLS protocol 'smtps'" << 1;
    }

    void csvErrors() {
        QFETCH(QByteArray, content);
        QFETCH(QString, prefix);
        QFETCH(QString, fragment);
        QFETCH(int, targets);
        const ParsedTargets parsed =
            parseTargets(content, QStringLiteral("t.csv"), TargetFormat::Csv);
        verifySingleIssue(parsed, prefix, fragment);
        QCOMPARE(parsed.targets.size(), targets);
    }

    void jsonAccepted() {
        const QByteArray content = R"([
  {"host": "a.example", "port": 8443, "name": "Alpha", "tags": ["prod", "eu"]},
  {
    "host": "mail.example", "starttls": "smtp", "no_sni": false,
    "address": ["192.0.2.1", "2001:DB8::1"], "warning": 20, "critical": "5", "owner": null
  },
  {"host": "[2001:db8::9]", "port": "444", "no_sni": true, "address": "192.0.2.7 192.0.2.8",
   "tags": "a,b", "rotation": 45, "sni": ""}
]
)";
        QCOMPARE(detectTargetFormat(content), TargetFormat::Json);
        const ParsedTargets parsed = parseTargets(content, QStringLiteral("t.json"));
        QVERIFY2(parsed.ok(), qPrintable(issuesText(parsed)));
        QCOMPARE(parsed.targets.size(), 3);
        QCOMPARE(summary(parsed.targets.at(0)),
                 QStringLiteral("a.example|8443|sni=a.example|addr=||name=Alpha|no_sni=0|r/w/c=-/-/"
                                "-|tags=prod,eu|owner="));
        QCOMPARE(summary(parsed.targets.at(1)),
                 QStringLiteral("mail.example|25|sni=mail.example|addr=192.0.2.1,2001:db8::1|smtp|"
                                "name=|no_sni=0|r/w/c=-/20/5|tags=|owner="));
        QCOMPARE(summary(parsed.targets.at(2)),
                 QStringLiteral("2001:db8::9|444|sni=|addr=192.0.2.7,192.0.2.8||name=|no_sni=1|r/w/"
                                "c=45/-/-|tags=a,b|owner="));
        QCOMPARE(parsed.targets.at(0).origin.line, 2);
        QCOMPARE(parsed.targets.at(1).origin.line, 3);
        QCOMPARE(parsed.targets.at(2).origin.line, 7);
    }

    void jsonErrors_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("prefix");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("host not a string")
            << QByteArray("[\n  {\"host\": \"ok.example\"},\n  {\"host\": 42}\n]") << "t.json:3: "
            << "item 1: 'host' must be a string, not a number";
        QTest::newRow("port bool")
            << QByteArray("[{\"host\": \"a.example\", \"port\": true}]") << "t.json:1: "
            << "item 0: 'port' must be a number or a string, not a boolean";
        QTest::newRow("port out of range, braces in strings do not confuse lines")
            << QByteArray("[{\"host\": \"a.example\", \"notes\": \"{[\\\"}\"},\n\n {\"host\": "
                          "\"b.example\", \"port\": 70000}]")
            << "t.json:3: "
            << "item 1: bad port '70000'";
        QTest::newRow("fractional port")
            << QByteArray("[{\"host\": \"a.example\", \"port\": 443.5}]") << "t.json:1: "
            << "item 0: bad port '443.5'";
        QTest::newRow("no_sni as string")
            << QByteArray("[{\"host\": \"a.example\", \"no_sni\": \"yes\"}]") << "t.json:1: "
            << "item 0: 'no_sni' must be true or false, not a string";
        QTest::newRow("address array with a number")
            << QByteArray("[{\"host\": \"a.example\", \"address\": [\"192.0.2.1\", 7]}]")
            << "t.json:1: "
            << "item 0: 'address' must hold strings, not a number";
        QTest::newRow("tags object")
            << QByteArray("[{\"host\": \"a.example\", \"tags\": {}}]") << "t.json:1: "
            << "item 0: 'tags' must be a string or an array of strings";
        QTest::newRow("unknown key")
            << QByteArray("[{\"host\": \"a.example\", \"Port\": 1}]") << "t.json:1: "
            << "item 0: unknown key(s) 'Port' (valid keys:";
        QTest::newRow("element not an object") << QByteArray("[\n\"a.example\"\n]") << "t.json:2: "
                                               << "item 0: expected an object";
        QTest::newRow("missing host") << QByteArray("[{\"name\": \"x\"}]") << "t.json:1: "
                                      << "item 0: empty host";
        QTest::newRow("parse error located")
            << QByteArray("[\n  {\"host\": \"a.example\"},\n  {\"host\": }\n]") << "t.json:3: "
            << "invalid JSON:";
        QTest::newRow("not an array") << QByteArray("{\"host\": \"a.example\"}") << "t.json:1: "
                                      << "expected a JSON array of target objects";
    }

    void jsonErrors() {
        QFETCH(QByteArray, content);
        QFETCH(QString, prefix);
        QFETCH(QString, fragment);
        verifySingleIssue(parseTargets(content, QStringLiteral("t.json"), TargetFormat::Json),
                          prefix, fragment);
    }

    void jsonParseErrorNamesColumn() {
        const ParsedTargets parsed =
            parseTargets(QByteArray("[\n  {\"host\" \"a\"}\n]"), QStringLiteral("t.json"));
        verifySingleIssue(parsed, QStringLiteral("t.json:2: "), QStringLiteral("(column "));
    }

    void formatDetection_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<int>("format");
        QTest::newRow("json array")
            << QByteArray("  \n[{\"host\": \"a\"}]") << int(TargetFormat::Json);
        QTest::newRow("empty json array") << QByteArray("[]") << int(TargetFormat::Json);
        QTest::newRow("broken json is still json")
            << QByteArray("[\n{\"host\":") << int(TargetFormat::Json);
        QTest::newRow("line format starting with [ipv6]")
            << QByteArray("[2001:db8::1]:443 name=v6\nexample.com\n") << int(TargetFormat::Lines);
        QTest::newRow("csv after comments")
            << QByteArray("# export\n\nname,Host\nA,a\n") << int(TargetFormat::Csv);
        QTest::newRow("csv with semicolons") << QByteArray("port;host\n") << int(TargetFormat::Csv);
        QTest::newRow("csv with bom")
            << QByteArray("\xEF\xBB\xBFhost\na\n") << int(TargetFormat::Csv);
        QTest::newRow("lines") << QByteArray("# hosts\nexample.com:443 name=host\n")
                               << int(TargetFormat::Lines);
        QTest::newRow("empty") << QByteArray("") << int(TargetFormat::Lines);
    }

    void formatDetection() {
        QFETCH(QByteArray, content);
        QFETCH(int, format);
        QCOMPARE(int(detectTargetFormat(content)), format);
    }

    void callerOverridesDetection() {
        // Looks like CSV, but the caller says it is a line list: "host" is then a host name.
        const QByteArray content("host\na.example\n");
        const ParsedTargets asLines =
            parseTargets(content, QStringLiteral("t"), TargetFormat::Lines);
        QCOMPARE(asLines.targets.size(), 2);
        QCOMPARE(asLines.targets.first().host, QStringLiteral("host"));
        const ParsedTargets asCsv = parseTargets(content, QStringLiteral("t"));
        QCOMPARE(asCsv.targets.size(), 1);
        QCOMPARE(asCsv.targets.first().host, QStringLiteral("a.example"));
        QVERIFY(targetFormatFromKey(QStringLiteral("JSON")) == TargetFormat::Json);
        QVERIFY(!targetFormatFromKey(QStringLiteral("yaml")));
    }

    void readsFiles() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("targets.txt"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("a.example\nb.example:0\n");
        file.close();
        const ParsedTargets parsed = readTargetsFile(path);
        QCOMPARE(parsed.targets.size(), 1);
        QCOMPARE(parsed.targets.first().origin.file, path);
        verifySingleIssue(parsed, path + QStringLiteral(":2: "), QStringLiteral("bad port"));
    }

    void unreadableFileIsOneIssue_data() {
        QTest::addColumn<bool>("directory");
        QTest::newRow("missing file") << false;
        QTest::newRow("directory") << true;
    }

    void unreadableFileIsOneIssue() {
        QFETCH(bool, directory);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = directory ? dir.path() : dir.filePath(QStringLiteral("nope.txt"));
        const ParsedTargets parsed = readTargetsFile(path);
        QVERIFY(parsed.targets.isEmpty());
        verifySingleIssue(parsed, path + QStringLiteral(": cannot read: "), QString());
        QVERIFY2(parsed.issues.first().reason.size() > QStringLiteral("cannot read: ").size(),
                 qPrintable(parsed.issues.first().reason));
    }
};

QTEST_GUILESS_MAIN(TestTargetParser)
#include "tst_targetparser.moc"
