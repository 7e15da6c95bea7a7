#include "inventory/CsvReader.h"

#include <QTest>

using namespace certdash;

namespace {
QString rows(const CsvDocument &doc) {
    // "line:cell|cell" per record, records separated by " / ", so a failure shows the whole parse.
    QStringList out;
    for (const CsvRecord &r : doc.records)
        out << QStringLiteral("%1:%2").arg(r.line).arg(r.fields.join(QLatin1Char('|')));
    return out.join(QLatin1String(" / "));
}
} // namespace

class TestCsvReader : public QObject {
    Q_OBJECT
private slots:
    void records_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("delimiter");
        QTest::addColumn<QString>("expected");
        QTest::newRow("plain") << "a,b\nc,d\n"
                               << ","
                               << "1:a|b / 2:c|d";
        QTest::newRow("no final newline") << "a,b\nc,d"
                                          << ","
                                          << "1:a|b / 2:c|d";
        QTest::newRow("crlf") << "a,b\r\nc,d\r\n"
                              << ","
                              << "1:a|b / 2:c|d";
        QTest::newRow("quoted delimiter") << "\"a,b\",c\n"
                                          << ","
                                          << "1:a,b|c";
        QTest::newRow("doubled quotes") << "\"say \"\"hi\"\"\",x\n"
                                        << ","
                                        << "1:say \"hi\"|x";
        QTest::newRow("quoted newline keeps physical line of next record")
            << "h1,h2\n\"line one\nline two\",v\nnext,row\n"
            << ","
            << "1:h1|h2 / 2:line one\nline two|v / 4:next|row";
        QTest::newRow("quoted crlf normalised, still counted") << "\"a\r\nb\",c\r\nd,e\r\n"
                                                               << ","
                                                               << "1:a\nb|c / 3:d|e";
        QTest::newRow("blank lines skipped but counted") << "a\n\n\nb\n"
                                                         << ","
                                                         << "1:a / 4:b";
        QTest::newRow("empty quoted cell is a record") << "\"\"\n"
                                                       << ","
                                                       << "1:";
        QTest::newRow("empty cells kept") << "a,,c\n"
                                          << ","
                                          << "1:a||c";
        QTest::newRow("semicolon delimiter") << "a;b,c\n"
                                             << ";"
                                             << "1:a|b,c";
        QTest::newRow("bom ignored") << QString(QChar(0xFEFF)) + QStringLiteral("a,b\n") << ","
                                     << "1:a|b";
        QTest::newRow("spaces around quoted cell") << "x, \"a,b\" ,y\n"
                                                   << ","
                                                   << "1:x|a,b|y";
        QTest::newRow("quote inside unquoted cell kept") << "ab\"c,d\n"
                                                         << ","
                                                         << "1:ab\"c|d";
    }

    void records() {
        QFETCH(QString, text);
        QFETCH(QString, delimiter);
        QFETCH(QString, expected);
        CsvOptions options;
        options.delimiter = delimiter.at(0);
        const CsvDocument doc = readCsv(text, options);
        QVERIFY2(doc.issues.isEmpty(), qPrintable(doc.issues.value(0).reason));
        QCOMPARE(rows(doc), expected);
    }

    void commentLinesOnlyWhenAsked() {
        const QString text = QStringLiteral("# note\na,b\n\"#quoted\",c\n");
        CsvOptions options;
        QCOMPARE(rows(readCsv(text, options)), QStringLiteral("1:# note / 2:a|b / 3:#quoted|c"));
        options.skipCommentLines = true;
        QCOMPARE(rows(readCsv(text, options)), QStringLiteral("2:a|b / 3:#quoted|c"));
    }

    void textAfterClosingQuoteIsReportedAndSkipped() {
        const CsvDocument doc =
            readCsv(QStringLiteral("a,b\n\"x\"y,z\nc,d\n\"multi\nline\"oops\ne,f\n"));
        QCOMPARE(rows(doc), QStringLiteral("1:a|b / 3:c|d / 6:e|f"));
        QCOMPARE(doc.issues.size(), 2);
        QCOMPARE(doc.issues.at(0).line, 2);
        QVERIFY2(doc.issues.at(0).reason.contains(QLatin1String("after a closing quote")),
                 qPrintable(doc.issues.at(0).reason));
        // The record starts on line 4; the stray text is on line 5 and the message says so.
        QCOMPARE(doc.issues.at(1).line, 4);
        QVERIFY2(doc.issues.at(1).reason.contains(QLatin1String("line 5")),
                 qPrintable(doc.issues.at(1).reason));
    }

    void unterminatedQuoteAtEnd() {
        const CsvDocument doc = readCsv(QStringLiteral("a,b\nc,\"never closed\nmore\n"));
        QCOMPARE(rows(doc), QStringLiteral("1:a|b"));
        QCOMPARE(doc.issues.size(), 1);
        QCOMPARE(doc.issues.first().line, 2);
        QVERIFY2(doc.issues.first().reason.contains(QLatin1String("unterminated")),
                 qPrintable(doc.issues.first().reason));
    }

    void delimiterDetection_data() {
        QTest::addColumn<QString>("header");
        QTest::addColumn<QString>("expected");
        QTest::newRow("comma") << "name,host,port"
                               << ",";
        QTest::newRow("semicolon") << "name;host;port"
                                   << ";";
        QTest::newRow("single column") << "host"
                                       << ",";
        QTest::newRow("quoted commas do not count") << "\"a,b,c\";host;port"
                                                    << ";";
        QTest::newRow("only the first line counts") << "name;host\na,b,c,d"
                                                    << ";";
    }

    void delimiterDetection() {
        QFETCH(QString, header);
        QFETCH(QString, expected);
        QCOMPARE(QString(detectCsvDelimiter(header)), expected);
    }
};

QTEST_GUILESS_MAIN(TestCsvReader)
#include "tst_csvreader.moc"
