// Hostile and mistaken inputs: sizes, encodings, ambiguous addresses, IDNA, kubectl shapes. Each
// case says what the user sees; none of them may grow without bound or be stored half-read.
#include "inventory/InputText.h"
#include "inventory/TargetParser.h"

#include <QFile>
#include <QStringEncoder>
#include <QTemporaryDir>
#include <QTest>

using namespace certdash;
using namespace Qt::StringLiterals;

namespace {

QString issuesText(const ParsedTargets &parsed) {
    return parsed.messages().join(QLatin1Char('\n'));
}

QByteArray utf16(const QString &text, QStringConverter::Encoding encoding) {
    QStringEncoder encoder(encoding, QStringConverter::Flag::WriteBom);
    return encoder.encode(text);
}

} // namespace

class TestBadInput : public QObject {
    Q_OBJECT
private slots:
    void excerpt_data() {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("short") << u"example.com"_s << u"'example.com'"_s;
        QTest::newRow("control characters escaped")
            << QString::fromUtf8("a\tb\nc\x1b[31md\x7f") << u"'a\\tb\\nc\\x1B[31md\\x7F'"_s;
        QTest::newRow("bidi override and zero width escaped")
            << QString::fromUtf8("ab\u202Ecd\u200B") << u"'ab\\u202Ecd\\u200B'"_s;
        QTest::newRow("quote and backslash") << u"O'Brien\\x"_s << u"'O\\'Brien\\\\x'"_s;
        QTest::newRow("unicode kept") << QString::fromUtf8("bücher") << QString::fromUtf8("'bücher'");
        QTest::newRow("long: 40 characters, ellipsis, length")
            << QString(100000, u'a')
            << QString(u"'"_s + QString(40, u'a') + QChar(0x2026) + u"' (100000 characters)"_s);
    }
    void excerpt() {
        QFETCH(QString, value);
        QFETCH(QString, expected);
        QCOMPARE(inventory::quoteExcerpt(value), expected);
    }

    // Every problem is counted, only the first few are kept: messages stay bounded.
    void problemsAreCappedAndCounted() {
        QByteArray content;
        for (int i = 0; i < 1000; ++i)
            content += "a.example zz=1\n";
        content += "good.example\n";
        const ParsedTargets parsed = parseTargets(content, u"t.txt"_s, TargetFormat::Lines);
        QCOMPARE(parsed.targets.size(), 1);
        QCOMPARE(parsed.issues.size(), kMaxListedIssues);
        QCOMPARE(parsed.issueCount(), 1000);
        QCOMPARE(parsed.rejected, 1000);
        QCOMPARE(parsed.issues.first().where.line, 1);
        const QStringList messages = parsed.messages();
        QCOMPARE(messages.size(), kMaxListedIssues + 1);
        QCOMPARE(messages.last(), u"t.txt: and 980 more problems"_s);
    }

    // One line of many bad tokens is one message per kind of problem, however many tokens.
    void oneMessagePerKindPerLine_data() {
        QTest::addColumn<QString>("token");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("unknown keys") << u"zz=1"_s << u"unknown key 'zz' (valid keys:"_s;
        QTest::newRow("stray words") << u"zz"_s << u"unexpected 'zz': expected key=value"_s;
        QTest::newRow("duplicates") << u"name=x"_s << u"duplicate key 'name'"_s;
        QTest::newRow("missing values") << u"sni"_s << u"missing value for 'sni'"_s;
        QTest::newRow("port as key") << u"port=1"_s << u"unknown key 'port': host and port go first"_s;
    }
    void oneMessagePerKindPerLine() {
        QFETCH(QString, token);
        QFETCH(QString, fragment);
        QStringList tokens{u"a.example"_s, u"name=first"_s};
        for (int i = 0; i < 8000; ++i)
            tokens << token;
        const QString line = tokens.join(u' ');
        QVERIFY(line.size() < kMaxTargetEntryChars);
        const ParsedTargets parsed = parseTargets(line.toUtf8(), u"t.txt"_s, TargetFormat::Lines);
        QVERIFY2(parsed.issues.size() == 1, qPrintable(issuesText(parsed)));
        QVERIFY2(parsed.issues.first().reason.contains(fragment), qPrintable(issuesText(parsed)));
        QVERIFY(parsed.issues.first().reason.size() < 300);
    }

    void distinctUnknownKeysAreNamedAFew() {
        QStringList tokens{u"a.example"_s};
        for (int i = 0; i < 100; ++i)
            tokens << u"k%1=1"_s.arg(i);
        const ParsedTargets parsed =
            parseTargets(tokens.join(u' ').toUtf8(), u"t.txt"_s, TargetFormat::Lines);
        QCOMPARE(parsed.issues.size(), 1);
        QVERIFY2(parsed.issues.first().reason.startsWith(
                     u"unknown key 'k0', 'k1', 'k2', 'k3', 'k4' and 95 more (valid keys:"_s),
                 qPrintable(parsed.issues.first().reason));
    }

    // A line, CSV record or JSON string above the per-entry bound is refused on its own, quoted
    // short; the entries around it still read.
    void hugeEntryIsRefusedShort_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<int>("format");
        QTest::addColumn<QString>("prefix");
        QTest::addColumn<QString>("fragment");
        const QByteArray host(1024 * 1024, 'a');
        const QByteArray tokens = QByteArray("zz=1 ").repeated(200000);
        QTest::newRow("1 MB host line") << QByteArray("x.example\n" + host + "\ny.example\n")
                                        << int(TargetFormat::Lines) << u"t:2: "_s
                                        << u"line too long: 'aaaa"_s;
        QTest::newRow("1 MB of zz=1") << QByteArray("x.example\na.example " + tokens + "\ny.example\n")
                                      << int(TargetFormat::Lines) << u"t:2: "_s
                                      << u"line too long: 'a.example zz=1"_s;
        // An excerpt is put in once: a "%2" in the value must not be taken for the limit.
        QTest::newRow("1 MB line starting with %2")
            << QByteArray("x.example\n%2" + host + "\ny.example\n") << int(TargetFormat::Lines)
            << u"t:2: "_s << u"line too long: '%2aaaa"_s;
        QTest::newRow("long pin_issuer starting with %2")
            << QByteArray("x.example\na.example pin_issuer=%2" + QByteArray(1100, 'a') + "\ny.example\n")
            << int(TargetFormat::Lines) << u"t:2: "_s << u"pin_issuer '%2aaaa"_s;
        QTest::newRow("1 MB csv cell")
            << QByteArray("host,notes\nx.example,\nw.example,\"" + host + "\"\ny.example,\n")
            << int(TargetFormat::Csv) << u"t:3: "_s << u"record too long"_s;
        QTest::newRow("1 MB json host")
            << QByteArray("[{\"host\": \"x.example\"},\n{\"host\": \"" + host +
                          "\"}, {\"host\": \"y.example\"}]")
            << int(TargetFormat::Json) << u"t:2: "_s << u"item 1: 'host' is too long: 'aaaa"_s;
    }
    void hugeEntryIsRefusedShort() {
        QFETCH(QByteArray, content);
        QFETCH(int, format);
        QFETCH(QString, prefix);
        QFETCH(QString, fragment);
        const ParsedTargets parsed = parseTargets(content, u"t"_s, TargetFormat(format));
        QVERIFY2(parsed.issues.size() == 1, qPrintable(issuesText(parsed).left(2000)));
        const QString message = parsed.issues.first().toString();
        QVERIFY2(message.startsWith(prefix) && message.contains(fragment), qPrintable(message.left(2000)));
        QVERIFY2(message.size() < 200, qPrintable(message.left(2000)));
        QCOMPARE(parsed.targets.size(), 2);
    }

    // An input above 64 MiB is refused as a whole, from a file or from memory.
    void oversizedInputIsRefused() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(u"big.txt"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        const QByteArray line = QByteArray("a.example\n").repeated(1024 * 1024 / 10 + 1);
        qint64 written = 0;
        while (written <= kMaxTargetsInputBytes)
            written += file.write(line);
        file.close();
        const ParsedTargets parsed = readTargetsFile(path);
        QVERIFY(parsed.targets.isEmpty());
        QCOMPARE(parsed.issues.size(), 1);
        QCOMPARE(parsed.issues.first().toString(),
                 path + u": larger than 64 MiB (the limit for a targets input); split it into "
                        "smaller files"_s);

        QFile again(path);
        QVERIFY(again.open(QIODevice::ReadOnly));
        QString error;
        QVERIFY(!readTargetsInput(again, &error));
        QVERIFY(again.pos() <= kMaxTargetsInputBytes + 1); // read no further than the bound
        QVERIFY(error.startsWith(u"larger than 64 MiB"_s));

        const ParsedTargets inMemory =
            parseTargets(QByteArray(kMaxTargetsInputBytes + 1, '\n'), u"m"_s);
        QCOMPARE(inMemory.issues.size(), 1);
        QVERIFY(inMemory.issues.first().reason.startsWith(u"larger than 64 MiB"_s));
    }

    // '[' starts a JSON array only when an object, ']' or a string follows; otherwise it is a
    // bracketed IPv6 address of a line list, and a wrong guess says what was tried.
    void bracketDetection_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<int>("format");
        QTest::addColumn<QString>("message"); // "" = reads without problems
        QTest::newRow("[::1]:443") << QByteArray("[::1]:443\n") << int(TargetFormat::Lines) << u""_s;
        QTest::newRow("[::1:443 (no closing bracket)")
            << QByteArray("[::1:443\n") << int(TargetFormat::Lines) << u"t:1: bad address '[::1:443': missing ']'"_s;
        QTest::newRow("[2001:db8::1] alone") << QByteArray("[2001:db8::1]\nb.example\n")
                                             << int(TargetFormat::Lines) << u""_s;
        QTest::newRow("json array over lines")
            << QByteArray("[\n  {\"host\": \"a.example\"}\n]") << int(TargetFormat::Json) << u""_s;
        QTest::newRow("broken json names the guess")
            << QByteArray("[{\"host\": }]") << int(TargetFormat::Json)
            << u"t: read as a JSON array because it starts with '[{'"_s;
        QTest::newRow("bad line list names the guess")
            << QByteArray("[zz\n") << int(TargetFormat::Lines)
            << u"t: read as a line list because it starts with '[' but not with a JSON array"_s;
    }
    void bracketDetection() {
        QFETCH(QByteArray, content);
        QFETCH(int, format);
        QFETCH(QString, message);
        QCOMPARE(int(detectTargetFormat(content)), format);
        const ParsedTargets parsed = parseTargets(content, u"t"_s);
        if (message.isEmpty()) {
            QVERIFY2(parsed.ok(), qPrintable(issuesText(parsed)));
            QVERIFY(!parsed.targets.isEmpty());
        } else {
            QVERIFY2(issuesText(parsed).contains(message), qPrintable(issuesText(parsed)));
        }
    }

    // UTF-8 with or without BOM and UTF-16 with a BOM read the same; anything else is refused as
    // a whole, naming where, and never stored with U+FFFD.
    void encodings_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("message"); // "" = reads as the two expected targets
        const QString text = QString::fromUtf8("bücher.example name=Müller\nb.example:8443\n");
        QTest::newRow("utf-8") << text.toUtf8() << u""_s;
        QTest::newRow("utf-8 with bom") << QByteArray("\xEF\xBB\xBF" + text.toUtf8()) << u""_s;
        QTest::newRow("utf-16le with bom") << utf16(text, QStringConverter::Utf16LE) << u""_s;
        QTest::newRow("utf-16be with bom") << utf16(text, QStringConverter::Utf16BE) << u""_s;
        QTest::newRow("csv in utf-16le")
            << utf16(u"host,name\r\n"_s + QString::fromUtf8("bücher.example,Müller\r\nb.example:8443,\r\n"),
                     QStringConverter::Utf16LE)
            << u""_s;
        QTest::newRow("latin-1 owner")
            << QByteArray("a.example\nb.example owner=M\xfcller\n")
            << u"t:2: not UTF-8: byte \\xFC at column 18"_s;
        QTest::newRow("latin-1 in a csv note")
            << QByteArray("host,notes\na.example,ok\nb.example,caf\xe9\n")
            << u"t:3: not UTF-8: byte \\xE9 at column 14"_s;
        QTest::newRow("latin-1 in a json name")
            << QByteArray("[{\"host\": \"a.example\",\n  \"name\": \"\xe9t\xe9\"}]")
            << u"t:2: not UTF-8: byte \\xE9 at column 12"_s;
        QTest::newRow("overlong utf-8") << QByteArray("a.example name=\xc0\xaf\n")
                                        << u"t:1: not UTF-8: byte \\xC0"_s;
        QTest::newRow("utf-16 without bom")
            << QByteArray("a\0.\0e\0x\0\n\0", 10) << u"t:1: a NUL byte: this is not a text file"_s;
        QTest::newRow("odd-length utf-16") << QByteArray("\xFF\xFE" "a\0b", 5)
                                           << u"t: the file starts with a UTF-16 byte order mark but is not valid UTF-16"_s;
        QTest::newRow("utf-32") << QByteArray("\xFF\xFE\0\0a\0\0\0", 8)
                                << u"t: UTF-32 text is not supported"_s;
        QTest::newRow("random bytes")
            << QByteArray("\x8f\x01\xfe\xff\x80\x9b[2J", 9) << u"t:1: not UTF-8: byte \\x8F at column 1"_s;
        QTest::newRow("json escape of half a character")
            << QByteArray("[{\"host\": \"a.example\", \"notes\": \"x\\ud800y\"}]")
            << u"t:1: item 0: 'notes' holds an unpaired UTF-16 surrogate"_s;
    }
    void encodings() {
        QFETCH(QByteArray, content);
        QFETCH(QString, message);
        const ParsedTargets parsed = parseTargets(content, u"t"_s);
        if (message.isEmpty()) {
            QVERIFY2(parsed.ok(), qPrintable(issuesText(parsed)));
            QCOMPARE(parsed.targets.size(), 2);
            QCOMPARE(parsed.targets.at(0).host, QString::fromUtf8("bücher.example"));
            QCOMPARE(parsed.targets.at(0).name, QString::fromUtf8("Müller"));
            QCOMPARE(parsed.targets.at(1).port, quint16(8443));
            QCOMPARE(parsed.targets.at(1).origin.line, QTest::currentDataTag() == QByteArray("csv in utf-16le") ? 3 : 2);
        } else {
            QVERIFY(parsed.targets.isEmpty());
            QVERIFY2(parsed.issues.size() == 1, qPrintable(issuesText(parsed)));
            QVERIFY2(parsed.issues.first().toString().startsWith(message),
                     qPrintable(issuesText(parsed)));
            QVERIFY(parsed.issues.first().toString().size() < 300);
        }
    }

    // A bare IPv6 address is taken as written unless it could also be ADDRESS:PORT.
    void bareIpv6_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<int>("format");
        QTest::addColumn<QString>("expected"); // "host|port", or the start of the message
        const int lines = int(TargetFormat::Lines);
        QTest::newRow("2001:db8::1") << QByteArray("2001:db8::1") << lines << u"2001:db8::1|443"_s;
        QTest::newRow("::1") << QByteArray("::1") << lines << u"::1|443"_s;
        QTest::newRow("2001:db8::8443") << QByteArray("2001:db8::8443") << lines
                                        << u"2001:db8::8443|443"_s;
        QTest::newRow("full form") << QByteArray("2001:db8:0:0:0:0:1:8443") << lines
                                   << u"2001:db8::1:8443|443"_s;
        QTest::newRow("mapped ipv4") << QByteArray("::ffff:192.0.2.1") << lines
                                     << u"::ffff:192.0.2.1|443"_s;
        QTest::newRow("[::1]:8443") << QByteArray("[::1]:8443") << lines << u"::1|8443"_s;
        QTest::newRow("[2001:db8::1:8443]") << QByteArray("[2001:db8::1:8443]") << lines
                                            << u"2001:db8::1:8443|443"_s;
        QTest::newRow("::1:8443") << QByteArray("::1:8443") << lines
                                  << u"t:1: ambiguous address '::1:8443': write [::1]:8443 for port 8443 of ::1, or [::1:8443] for the address itself"_s;
        QTest::newRow("2001:db8::1:8443") << QByteArray("2001:db8::1:8443") << lines
                                          << u"t:1: ambiguous address '2001:db8::1:8443': write [2001:db8::1]:8443"_s;
        QTest::newRow("csv host") << QByteArray("host,port\n2001:db8::1:8443,\n")
                                  << int(TargetFormat::Csv) << u"t:2: ambiguous address"_s;
        QTest::newRow("csv host with its port apart (as certdash export writes it)")
            << QByteArray("host,port\n2001:db8::1:8443,443\n") << int(TargetFormat::Csv)
            << u"2001:db8::1:8443|443"_s;
        QTest::newRow("json host") << QByteArray("[{\"host\": \"::1:8443\"}]")
                                   << int(TargetFormat::Json) << u"t:1: item 0: ambiguous address"_s;
    }
    void bareIpv6() {
        QFETCH(QByteArray, content);
        QFETCH(int, format);
        QFETCH(QString, expected);
        const ParsedTargets parsed = parseTargets(content, u"t"_s, TargetFormat(format));
        if (parsed.ok()) {
            QCOMPARE(parsed.targets.size(), 1);
            QCOMPARE(u"%1|%2"_s.arg(parsed.targets.first().host).arg(parsed.targets.first().port),
                     expected);
        } else {
            QVERIFY2(parsed.issues.first().toString().startsWith(expected),
                     qPrintable(issuesText(parsed)));
        }
    }

    void idna_data() {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("fragment"); // "" = accepted
        QTest::newRow("unicode name") << QString::fromUtf8("bücher.example") << u""_s;
        QTest::newRow("its punycode") << u"xn--bcher-kva.example"_s << u""_s;
        QTest::newRow("punycode, upper case") << u"XN--BCHER-KVA.example"_s << u""_s;
        QTest::newRow("emoji name (UTS 46)") << u"xn--ls8h.la"_s << u""_s;
        QTest::newRow("hebrew name") << QString::fromUtf8("\u05D0\u05D1.example") << u""_s;
        QTest::newRow("hyphens in 3-4 (not xn--)") << u"r3---sn-abc.example"_s << u""_s;
        QTest::newRow("invalid punycode")
            << u"xn--zz.example"_s << u"invalid host name 'xn--zz.example': label 'xn--zz' is not valid punycode"_s;
        QTest::newRow("punycode of a control character")
            << u"xn--a.example"_s << u"label 'xn--a' is not the punycode form of a Unicode label"_s;
        QTest::newRow("punycode of ascii")
            << u"xn--abc-.example"_s << u"invalid host name 'xn--abc-.example'"_s;
        QTest::newRow("starts with a combining mark")
            << QString::fromUtf8("\u0301b.example") << u"starts with a combining mark"_s;
        QTest::newRow("joiner without virama")
            << QString::fromUtf8("a\u200Db.example") << u"zero-width joiner"_s;
        QTest::newRow("mixed direction label")
            << QString::fromUtf8("a\u05D0.example") << u"breaks the rule for right-to-left names"_s;
        QTest::newRow("sni invalid punycode")
            << u"192.0.2.1 sni=xn--zz.example"_s << u"invalid sni name 'xn--zz.example': label"_s;
    }
    void idna() {
        QFETCH(QString, line);
        QFETCH(QString, fragment);
        const ParsedTargets parsed = parseTargets(line.toUtf8(), u"t"_s, TargetFormat::Lines);
        if (fragment.isEmpty()) {
            QVERIFY2(parsed.ok(), qPrintable(issuesText(parsed)));
        } else {
            QVERIFY2(parsed.issues.size() == 1 && parsed.issues.first().reason.contains(fragment),
                     qPrintable(issuesText(parsed)));
        }
    }

    // kubectl input that is not shaped as expected says what was skipped and where; nothing
    // importable at all is an error.
    void kubectlShapes_data() {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QStringList>("messages");
        QTest::addColumn<QStringList>("hosts");
        const QByteArray good =
            R"({"kind": "Ingress", "metadata": {"name": "ok", "namespace": "n"},
                "spec": {"tls": [{"hosts": ["ok.example"]}]}})";
        QTest::newRow("spec.tls an object")
            << QByteArray(R"({"items": [)" + good + R"(, {"kind": "Ingress",
                "metadata": {"name": "a", "namespace": "n"},
                "spec": {"tls": {"hosts": ["a.example"]}}}]})")
            << QStringList{u"k.json: items[1] n/a: spec.tls is an object, expected an array; skipped"_s}
            << QStringList{u"ok.example"_s};
        QTest::newRow("spec null")
            << QByteArray(R"({"items": [{"kind": "Ingress", "metadata": {"name": "a", "namespace": "n"},
                "spec": null}, )" + good + "]}")
            << QStringList{u"k.json: items[0] n/a: spec is null, expected an object; skipped"_s}
            << QStringList{u"ok.example"_s};
        QTest::newRow("hosts a string, rule not an object")
            << QByteArray(R"({"items": [{"kind": "Ingress", "metadata": {"name": "a", "namespace": "n"},
                "spec": {"tls": [{"hosts": "a.example"}], "rules": ["b.example", {"host": "c.example"}]}}]})")
            << QStringList{u"k.json: items[0] n/a: spec.tls[0].hosts is a string, expected an array; skipped"_s,
                           u"k.json: items[0] n/a: spec.rules[0] is a string, expected an object; skipped"_s}
            << QStringList{u"c.example"_s};
        QTest::newRow("items an object")
            << QByteArray(R"({"kind": "List", "items": {"a": 1}})")
            << QStringList{u"k.json: \"items\" is an object, expected an array of Ingress objects; nothing to import"_s}
            << QStringList{};
        QTest::newRow("items null")
            << QByteArray(R"({"kind": "List", "items": null})")
            << QStringList{u"k.json: \"items\" is null, expected an array of Ingress objects; nothing to import"_s}
            << QStringList{};
        QTest::newRow("items empty")
            << QByteArray(R"({"kind": "List", "items": []})")
            << QStringList{u"k.json: nothing to import: no Ingress host that can be probed in 0 items"_s}
            << QStringList{};
        QTest::newRow("item not an object")
            << QByteArray(R"({"items": [42, )" + good + "]}")
            << QStringList{u"k.json: items[0] is a number, expected an Ingress object; skipped"_s}
            << QStringList{u"ok.example"_s};
    }
    void kubectlShapes() {
        QFETCH(QByteArray, json);
        QFETCH(QStringList, messages);
        QFETCH(QStringList, hosts);
        QCOMPARE(detectTargetFormat(json), TargetFormat::Kubectl);
        const ParsedTargets parsed = parseTargets(json, u"k.json"_s);
        QStringList got;
        for (const ParseIssue &issue : parsed.issues)
            got << issue.toString();
        QCOMPARE(got, messages);
        QStringList gotHosts;
        for (const Target &t : parsed.targets)
            gotHosts << t.host;
        QCOMPARE(gotHosts, hosts);
    }
};

QTEST_GUILESS_MAIN(TestBadInput)
#include "tst_badinput.moc"
