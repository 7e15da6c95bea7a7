#include "ReportFixtures.h"
#include "reports/CsvWriter.h"
#include "reports/ReportColumns.h"

#include <QTest>

using namespace certdash;

namespace {
// The report as a reader sees it: header + rows, each row as a column -> cell map.
struct ParsedCsv {
    QStringList header;
    QList<QHash<QString, QString>> rows;
};

ParsedCsv readBack(const QList<ProbeResult> &results) {
    const QList<QStringList> table = test::parseCsv(renderCsvReport(results));
    ParsedCsv parsed;
    if (table.isEmpty())
        return parsed;
    parsed.header = table.first();
    for (qsizetype i = 1; i < table.size(); ++i) {
        QHash<QString, QString> row;
        for (qsizetype c = 0; c < parsed.header.size() && c < table.at(i).size(); ++c)
            row.insert(parsed.header.at(c), table.at(i).at(c));
        parsed.rows.append(row);
    }
    return parsed;
}

QHash<QString, QString> readRow(const ProbeResult &result) {
    const ParsedCsv parsed = readBack({result});
    return parsed.rows.value(0);
}
} // namespace

class TestCsvReport : public QObject {
    Q_OBJECT
private slots:
    void headerIsTheContractualOrder() {
        const QByteArray csv = renderCsvReport({});
        QCOMPARE(csv,
                 QByteArray("target,host,port,sni,address,starttls,status,days_left,not_before,"
                            "not_after,subject,issuer,serial,sha256_fingerprint,key_type,key_bits,"
                            "signature_algorithm,san,chain_length,earliest_expiry,"
                            "earliest_expiry_subject,trust,verification_errors,tls_version,cipher,"
                            "error,probed_at,limiting_role,duration_ms,trust_level,owner,tags,"
                            "notes\r\n"));
    }

    // Issue 14: owner, tags and notes follow trust_level, exactly as the inventory has them
    // (text, so formula-guarded and quoted like any other text cell).
    void ownerTagsAndNotesColumns() {
        ProbeResult r = test::okResult();
        r.target.owner = QStringLiteral("=team payments");
        r.target.tags = {QStringLiteral("pci"), QStringLiteral("prod")};
        r.target.notes = QStringLiteral("renew via ACME, see \"runbook\"\nline 2");
        const QByteArray csv = renderCsvReport({r});
        QVERIFY2(csv.endsWith(",'=team payments,\"pci,prod\",\"renew via ACME, see "
                              "\"\"runbook\"\"\nline 2\"\r\n"),
                 csv.constData());
        const auto row = readRow(r);
        QCOMPARE(row.value(QStringLiteral("tags")), QStringLiteral("pci,prod"));
        // A target without them: empty cells, not missing ones.
        const QByteArray bare = renderCsvReport({test::okResult()});
        QVERIFY2(bare.endsWith(",trusted,,,\r\n"), bare.constData());
    }

    // Issue 14: a serial is hex digits, which a spreadsheet opening the CSV reads as a number
    // ("1000" is a thousand, "0E10" is 0 in scientific notation, 40 digits are rounded to
    // 1.23457E+39). Written as "0x..." it is text to Excel, LibreOffice and Google Sheets alike,
    // and still the notation OpenSSL prints. The exact bytes are the contract.
    void serialIsNeverANumberToASpreadsheet_data() {
        QTest::addColumn<QString>("serial");
        QTest::addColumn<QByteArray>("written");
        QTest::newRow("thousand") << "1000" << QByteArray(",0x1000,");
        QTest::newRow("scientific") << "0E10" << QByteArray(",0x0E10,");
        QTest::newRow("forty digits") << "1234567890123456789012345678901234567890"
                                      << QByteArray(",0x1234567890123456789012345678901234567890,");
        QTest::newRow("hex letters") << "0A1B2C3D" << QByteArray(",0x0A1B2C3D,");
        // Negative serials are invalid but exist; the minus is guarded like any formula start.
        QTest::newRow("negative") << "-01" << QByteArray(",'-0x01,");
    }

    void serialIsNeverANumberToASpreadsheet() {
        QFETCH(QString, serial);
        QFETCH(QByteArray, written);
        ProbeResult r = test::okResult();
        r.chain.first().serial = serial;
        if (r.limiting && r.limiting->sha256Fingerprint == r.chain.first().sha256Fingerprint)
            r.limiting->serial = serial;
        const QByteArray csv = renderCsvReport({r});
        const QByteArray row = csv.mid(csv.indexOf("\r\n") + 2);
        // Between the issuer and the fingerprint, exactly.
        const QByteArray expected = written + r.chain.first().sha256Fingerprint.toUtf8() + ',';
        QVERIFY2(row.contains(expected), row.constData());
        // A CSV reader gets that text back as one cell.
        QCOMPARE(readRow(r).value(QStringLiteral("serial")),
                 QString::fromLatin1(written.mid(1, written.size() - 2)));
    }

    // Issue 10: trust_level is appended (trusted|accepted|weak|failed, empty without a
    // certificate); `trust` keeps its meaning.
    void trustLevelColumn() {
        ProbeResult failed = test::okResult();
        failed.trust.add(FindingKind::HostnameMismatch, QStringLiteral("hostname mismatch: x"));
        failed.trustVerdict.level = TrustLevel::Failed;
        QCOMPARE(readRow(failed).value(QStringLiteral("trust_level")), QStringLiteral("failed"));
        QCOMPARE(readRow(failed).value(QStringLiteral("status")), QStringLiteral("ok"));
        ProbeResult accepted = failed;
        accepted.trustVerdict.level = TrustLevel::Accepted;
        QCOMPARE(readRow(accepted).value(QStringLiteral("trust_level")),
                 QStringLiteral("accepted"));
        QCOMPARE(readRow(test::okResult()).value(QStringLiteral("trust_level")),
                 QStringLiteral("trusted"));
        QCOMPARE(readRow(test::timeoutResult()).value(QStringLiteral("trust_level")), QString());
        // Issue 14 appends owner, tags and notes after it.
        QCOMPARE(reportColumns().indexOf(QStringLiteral("trust_level")), 29);
    }

    void everyRowHasEveryColumnAndCrlf() {
        const QByteArray csv = renderCsvReport({test::okResult(), test::timeoutResult()});
        QVERIFY(csv.endsWith("\r\n"));
        QCOMPARE(csv.count("\r\n"), 3);
        QCOMPARE(csv.count('\n'), 3); // no bare LF line ends
        const QList<QStringList> table = test::parseCsv(csv);
        QCOMPARE(table.size(), 3);
        for (const QStringList &row : table)
            QCOMPARE(row.size(), reportColumns().size());
    }

    void healthyRowMapsLeafAndLimitingCertificate() {
        const ProbeResult r = test::okResult();
        const auto row = readRow(r);
        QCOMPARE(row.value(QStringLiteral("target")), QStringLiteral("www.example.com:443"));
        QCOMPARE(row.value(QStringLiteral("host")), QStringLiteral("www.example.com"));
        QCOMPARE(row.value(QStringLiteral("port")), QStringLiteral("443"));
        QCOMPARE(row.value(QStringLiteral("sni")), QStringLiteral("www.example.com"));
        QCOMPARE(row.value(QStringLiteral("address")), QStringLiteral("192.0.2.10"));
        QCOMPARE(row.value(QStringLiteral("starttls")), QString());
        QCOMPARE(row.value(QStringLiteral("status")), QStringLiteral("ok"));
        QCOMPARE(row.value(QStringLiteral("days_left")), QStringLiteral("40"));
        // Leaf columns describe the leaf...
        QCOMPARE(row.value(QStringLiteral("subject")), r.chain.first().subject);
        QCOMPARE(row.value(QStringLiteral("issuer")), r.chain.first().issuer);
        QCOMPARE(row.value(QStringLiteral("serial")),
                 QStringLiteral("0x") + r.chain.first().serial);
        QCOMPARE(row.value(QStringLiteral("not_before")), QStringLiteral("2026-03-05T12:00:00Z"));
        QCOMPARE(row.value(QStringLiteral("not_after")), QStringLiteral("2026-06-03T12:00:00Z"));
        QCOMPARE(row.value(QStringLiteral("sha256_fingerprint")),
                 r.chain.first().sha256Fingerprint);
        QCOMPARE(row.value(QStringLiteral("key_type")), QStringLiteral("EC"));
        QCOMPARE(row.value(QStringLiteral("key_bits")), QStringLiteral("256"));
        QCOMPARE(row.value(QStringLiteral("signature_algorithm")),
                 QStringLiteral("ecdsa-with-SHA256"));
        QCOMPARE(row.value(QStringLiteral("san")),
                 QStringLiteral("DNS:www.example.com DNS:example.com IP:192.0.2.10"));
        QCOMPARE(row.value(QStringLiteral("chain_length")), QStringLiteral("2"));
        // ...the earliest_* columns the intermediate that expires first.
        QCOMPARE(row.value(QStringLiteral("earliest_expiry")),
                 QStringLiteral("2026-04-24T12:00:00Z"));
        QCOMPARE(row.value(QStringLiteral("earliest_expiry_subject")),
                 QStringLiteral("CN=Example CA, O=Example, C=DE"));
        QCOMPARE(row.value(QStringLiteral("limiting_role")), QStringLiteral("intermediate"));
        QCOMPARE(row.value(QStringLiteral("trust")), QStringLiteral("trusted"));
        QCOMPARE(row.value(QStringLiteral("verification_errors")), QString());
        QCOMPARE(row.value(QStringLiteral("tls_version")), QStringLiteral("TLSv1.3"));
        QCOMPARE(row.value(QStringLiteral("cipher")), QStringLiteral("TLS_AES_256_GCM_SHA384"));
        QCOMPARE(row.value(QStringLiteral("error")), QString());
        QCOMPARE(row.value(QStringLiteral("probed_at")), QStringLiteral("2026-03-15T12:00:00Z"));
        QCOMPARE(row.value(QStringLiteral("duration_ms")), QStringLiteral("1500"));
    }

    void namedTargetAndFindings() {
        ProbeResult r = test::okResult();
        r.target.name = QStringLiteral("shop frontend");
        r.trust.trusted = false;
        r.trust.findings = {QStringLiteral("hostname mismatch: certificate is not valid for shop"),
                            QStringLiteral("weak key: RSA 1024 bits")};
        const auto row = readRow(r);
        QCOMPARE(row.value(QStringLiteral("target")), QStringLiteral("shop frontend"));
        QCOMPARE(row.value(QStringLiteral("trust")), QStringLiteral("untrusted"));
        QCOMPARE(row.value(QStringLiteral("verification_errors")),
                 QStringLiteral("hostname mismatch: certificate is not valid for shop; "
                                "weak key: RSA 1024 bits"));
    }

    void failureRowHasEmptyCertificateColumns() {
        const auto row = readRow(test::timeoutResult());
        QCOMPARE(row.value(QStringLiteral("status")), QStringLiteral("timeout"));
        QCOMPARE(row.value(QStringLiteral("starttls")), QStringLiteral("smtp"));
        QCOMPARE(row.value(QStringLiteral("port")), QStringLiteral("25"));
        QCOMPARE(row.value(QStringLiteral("target")), QStringLiteral("slow.example.com:25"));
        QCOMPARE(row.value(QStringLiteral("address")), QStringLiteral("2001:db8::25"));
        QCOMPARE(row.value(QStringLiteral("error")),
                 QStringLiteral("timed out after 10 s during the STARTTLS dialogue"));
        QCOMPARE(row.value(QStringLiteral("chain_length")), QStringLiteral("0"));
        for (const char *column : {"days_left",
                                   "not_before",
                                   "not_after",
                                   "subject",
                                   "issuer",
                                   "serial",
                                   "owner",
                                   "tags",
                                   "notes",
                                   "sha256_fingerprint",
                                   "key_type",
                                   "key_bits",
                                   "signature_algorithm",
                                   "san",
                                   "earliest_expiry",
                                   "earliest_expiry_subject",
                                   "trust",
                                   "verification_errors",
                                   "tls_version",
                                   "cipher",
                                   "limiting_role"}) {
            QVERIFY2(row.contains(QLatin1String(column)), column);
            QVERIFY2(row.value(QLatin1String(column)).isEmpty(), column);
        }
        QCOMPARE(row.value(QStringLiteral("probed_at")), QStringLiteral("2026-03-15T12:00:00Z"));
    }

    void quoteField_data() {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("expected");
        QTest::newRow("plain") << "CN=a"
                               << "CN=a";
        QTest::newRow("empty") << ""
                               << "";
        QTest::newRow("inner space") << "a b"
                                     << "a b";
        QTest::newRow("comma") << "CN=a, O=b"
                               << "\"CN=a, O=b\"";
        QTest::newRow("quote") << "say \"hi\""
                               << "\"say \"\"hi\"\"\"";
        QTest::newRow("LF") << "line1\nline2"
                            << "\"line1\nline2\"";
        QTest::newRow("CR") << "line1\rline2"
                            << "\"line1\rline2\"";
        QTest::newRow("CRLF") << "a\r\nb"
                              << "\"a\r\nb\"";
        QTest::newRow("leading space") << " a"
                                       << "\" a\"";
        QTest::newRow("trailing space") << "a "
                                        << "\"a \"";
    }

    void quoteField() {
        QFETCH(QString, field);
        QFETCH(QString, expected);
        QCOMPARE(quoteCsvField(field), expected);
    }

    void awkwardTextSurvivesARoundTrip_data() {
        QTest::addColumn<QString>("subject");
        QTest::newRow("commas") << "CN=shop, O=Example, Inc., C=US";
        QTest::newRow("quotes") << "CN=\"quoted\" name";
        QTest::newRow("newline") << "CN=first\nsecond";
        QTest::newRow("crlf inside") << "CN=first\r\nsecond";
        QTest::newRow("spaces around") << "  CN=padded  ";
        QTest::newRow("unicode") << QString::fromUtf8("CN=Zürich Straße, O=Ünïcödé 証明書");
    }

    void awkwardTextSurvivesARoundTrip() {
        QFETCH(QString, subject);
        ProbeResult r = test::okResult();
        r.chain.first().subject = subject;
        const QByteArray csv = renderCsvReport({r, test::timeoutResult()});
        QVERIFY(csv.contains(subject.toUtf8().replace("\"", "\"\""))); // UTF-8, no re-encoding
        const QList<QStringList> table = test::parseCsv(csv);
        QCOMPARE(table.size(), 3); // an embedded line break does not start a new record
        const int column = int(reportColumns().indexOf(QStringLiteral("subject")));
        QCOMPARE(table.at(1).at(column), subject);
        QCOMPARE(table.at(2).at(column), QString());
    }

    void formulaInjectionIsNeutralised_data() {
        QTest::addColumn<QString>("column");
        QTest::addColumn<QString>("value");
        QTest::newRow("= in subject") << "subject"
                                      << "=cmd|' /C calc'!A0";
        QTest::newRow("+ in subject") << "subject"
                                      << "+1+2";
        QTest::newRow("- in error") << "error"
                                    << "-ERR authentication required";
        QTest::newRow("@ in issuer") << "issuer"
                                     << "@SUM(1,2)";
        QTest::newRow("TAB in cipher") << "cipher"
                                       << "\t=1+1";
        QTest::newRow("CR in error") << "error"
                                     << "\r=1+1";
        QTest::newRow("= in target name") << "target"
                                          << "=HYPERLINK(\"http://x\")";
        QTest::newRow("- in san") << "san"
                                  << "-DNS:x";
    }

    void formulaInjectionIsNeutralised() {
        QFETCH(QString, column);
        QFETCH(QString, value);
        ProbeResult r = test::okResult();
        if (column == QLatin1String("subject"))
            r.chain.first().subject = value;
        else if (column == QLatin1String("issuer"))
            r.chain.first().issuer = value;
        else if (column == QLatin1String("error"))
            r.error = value;
        else if (column == QLatin1String("cipher"))
            r.cipher = value;
        else if (column == QLatin1String("target"))
            r.target.name = value;
        else if (column == QLatin1String("san"))
            r.chain.first().subjectAltNames = {value};
        else
            QFAIL("unknown column in test data");
        QCOMPARE(readRow(r).value(column), QLatin1Char('\'') + value);
    }

    void harmlessTextIsNotPrefixed() {
        ProbeResult r = test::okResult();
        r.chain.first().subject = QStringLiteral("CN=a=b+c-d@e");
        r.error = QStringLiteral("connection refused (-111)");
        const auto row = readRow(r);
        QCOMPARE(row.value(QStringLiteral("subject")), QStringLiteral("CN=a=b+c-d@e"));
        QCOMPARE(row.value(QStringLiteral("error")), QStringLiteral("connection refused (-111)"));
    }

    void numbersAreNeverGuarded() {
        ProbeResult r = test::okResult();
        r.status = Status::Expired;
        r.daysLeft = -3;
        const QByteArray csv = renderCsvReport({r});
        const QList<QByteArray> lines = csv.split('\n');
        QVERIFY(lines.size() >= 2);
        QVERIFY2(lines.at(1).contains(",expired,-3,"), lines.at(1).constData());
        QVERIFY(!csv.contains("'-3"));
        QCOMPARE(readRow(r).value(QStringLiteral("days_left")), QStringLiteral("-3"));
    }

    void timestampsAreUtcWithZ_data() {
        QTest::addColumn<QDateTime>("notAfter");
        const QDateTime utc(QDate(2026, 11, 23), QTime(10, 0), Qt::UTC);
        QTest::newRow("utc") << utc;
        QTest::newRow("+02:00") << QDateTime(QDate(2026, 11, 23), QTime(12, 0), Qt::OffsetFromUTC,
                                             7200);
        QTest::newRow("-05:30") << QDateTime(QDate(2026, 11, 23), QTime(4, 30), Qt::OffsetFromUTC,
                                             -19800);
        QTest::newRow("milliseconds dropped") << utc.addMSecs(789);
    }

    void timestampsAreUtcWithZ() {
        QFETCH(QDateTime, notAfter);
        ProbeResult r = test::okResult();
        r.chain.first().notAfter = notAfter;
        r.limiting->notAfter = notAfter;
        r.probedAt = notAfter;
        const auto row = readRow(r);
        for (const char *column : {"not_after", "earliest_expiry", "probed_at"})
            QCOMPARE(row.value(QLatin1String(column)), QStringLiteral("2026-11-23T10:00:00Z"));
    }

    void genericWriterKeepsNumbersAndGuardsText() {
        CsvWriter csv;
        csv.addHeader({QStringLiteral("name"), QStringLiteral("port"), QStringLiteral("note")});
        csv.addText(QStringLiteral("-x, y"));
        csv.addNumber(-7);
        csv.addEmpty();
        csv.endRow();
        csv.addRaw(QStringLiteral("=raw"));
        csv.addText(QStringLiteral("ok"));
        csv.addText(QString());
        csv.endRow();
        QCOMPARE(csv.data(), QByteArray("name,port,note\r\n\"'-x, y\",-7,\r\n=raw,ok,\r\n"));
    }
};

QTEST_GUILESS_MAIN(TestCsvReport)
#include "tst_csvreport.moc"
