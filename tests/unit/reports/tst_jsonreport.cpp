#include "ReportFixtures.h"
#include "reports/JsonReport.h"
#include "reports/ReportColumns.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace certdash;

namespace {
QJsonObject parse(const QList<ProbeResult> &results, const QDateTime &generatedAt) {
    QJsonParseError error;
    const QJsonDocument doc =
        QJsonDocument::fromJson(renderJsonReport(results, generatedAt), &error);
    if (error.error != QJsonParseError::NoError)
        qWarning("JSON does not parse: %s", qPrintable(error.errorString()));
    return doc.object();
}

QJsonObject firstResult(const ProbeResult &result) {
    return parse({result}, test::pinnedNow())
        .value(QStringLiteral("results"))
        .toArray()
        .at(0)
        .toObject();
}
} // namespace

class TestJsonReport : public QObject {
    Q_OBJECT
private slots:
    void documentParsesWithGeneratedAtInUtc() {
        // 13:30 at +01:30 is 12:00 UTC.
        const QDateTime localGenerated(QDate(2026, 3, 15), QTime(13, 30, 0, 456), Qt::OffsetFromUTC,
                                       5400);
        const QByteArray json =
            renderJsonReport({test::okResult(), test::timeoutResult()}, localGenerated);
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        QVERIFY(doc.isObject());
        const QJsonObject root = doc.object();
        QCOMPARE(root.value(QStringLiteral("generated_at")).toString(),
                 QStringLiteral("2026-03-15T12:00:00Z"));
        QCOMPARE(root.value(QStringLiteral("results")).toArray().size(), 2);
    }

    void emptyScanIsAnEmptyArray() {
        const QJsonObject root = parse({}, test::pinnedNow());
        QVERIFY(root.value(QStringLiteral("results")).isArray());
        QCOMPARE(root.value(QStringLiteral("results")).toArray().size(), 0);
    }

    void resultHasEveryReportColumn() {
        const QJsonObject row = firstResult(test::okResult());
        for (const QString &column : reportColumns())
            QVERIFY2(row.contains(column), qPrintable(column));
        for (const char *key : {"chain", "verified_path", "verification_errors", "tags"})
            QVERIFY2(row.value(QLatin1String(key)).isArray(), key);
    }

    // Issue 14: owner and notes as text, tags as a list (the CSV joins them with ",").
    void ownerTagsAndNotes() {
        ProbeResult r = test::okResult();
        r.target.owner = QStringLiteral("payments");
        r.target.tags = {QStringLiteral("pci"), QStringLiteral("prod")};
        r.target.notes = QStringLiteral("renew via ACME");
        const QJsonObject row = firstResult(r);
        QCOMPARE(row.value(QStringLiteral("owner")).toString(), QStringLiteral("payments"));
        QCOMPARE(row.value(QStringLiteral("tags")).toArray(),
                 (QJsonArray{QStringLiteral("pci"), QStringLiteral("prod")}));
        QCOMPARE(row.value(QStringLiteral("notes")).toString(), QStringLiteral("renew via ACME"));
        QCOMPARE(firstResult(test::okResult()).value(QStringLiteral("tags")).toArray().size(), 0);
    }

    void typesFollowTheValues() {
        ProbeResult r = test::okResult();
        r.status = Status::Expired;
        r.daysLeft = -3;
        const QJsonObject row = firstResult(r);
        for (const char *key : {"port", "days_left", "key_bits", "chain_length", "duration_ms"})
            QVERIFY2(row.value(QLatin1String(key)).isDouble(), key);
        QCOMPARE(row.value(QStringLiteral("port")).toInt(), 443);
        QCOMPARE(row.value(QStringLiteral("days_left")).toInt(), -3);
        QCOMPARE(row.value(QStringLiteral("key_bits")).toInt(), 256);
        QCOMPARE(row.value(QStringLiteral("chain_length")).toInt(), 2);
        QCOMPARE(row.value(QStringLiteral("duration_ms")).toInt(), 1500);
        QCOMPARE(row.value(QStringLiteral("status")).toString(), QStringLiteral("expired"));
        QCOMPARE(row.value(QStringLiteral("not_after")).toString(),
                 QStringLiteral("2026-06-03T12:00:00Z"));
        QCOMPARE(row.value(QStringLiteral("earliest_expiry")).toString(),
                 QStringLiteral("2026-04-24T12:00:00Z"));
        QCOMPARE(row.value(QStringLiteral("earliest_expiry_subject")).toString(),
                 QStringLiteral("CN=Example CA, O=Example, C=DE"));
        QCOMPARE(row.value(QStringLiteral("trust")).toString(), QStringLiteral("trusted"));
        // Empty text is null, not "".
        QVERIFY(row.value(QStringLiteral("starttls")).isNull());
        QVERIFY(row.value(QStringLiteral("error")).isNull());
    }

    void failureRowIsNullWhereNothingWasRead() {
        const QJsonObject row = firstResult(test::timeoutResult());
        QCOMPARE(row.value(QStringLiteral("status")).toString(), QStringLiteral("timeout"));
        QCOMPARE(row.value(QStringLiteral("error")).toString(),
                 QStringLiteral("timed out after 10 s during the STARTTLS dialogue"));
        for (const char *key :
             {"days_left", "not_before", "not_after", "subject", "issuer", "key_bits", "san",
              "earliest_expiry", "earliest_expiry_subject", "trust", "tls_version", "cipher"}) {
            QVERIFY2(row.contains(QLatin1String(key)), key);
            QVERIFY2(row.value(QLatin1String(key)).isNull(), key);
        }
        QCOMPARE(row.value(QStringLiteral("chain_length")).toInt(-1), 0);
        QCOMPARE(row.value(QStringLiteral("chain")).toArray().size(), 0);
        QCOMPARE(row.value(QStringLiteral("verification_errors")).toArray().size(), 0);
    }

    void chainCarriesEveryCertificateField() {
        const ProbeResult r = test::okResult();
        const QJsonArray chain = firstResult(r).value(QStringLiteral("chain")).toArray();
        QCOMPARE(chain.size(), 2);
        const QJsonObject leaf = chain.at(0).toObject();
        const CertificateInfo &l = r.chain.first();
        QCOMPARE(leaf.value(QStringLiteral("subject")).toString(), l.subject);
        QCOMPARE(leaf.value(QStringLiteral("issuer")).toString(), l.issuer);
        QCOMPARE(leaf.value(QStringLiteral("serial")).toString(), l.serial);
        // JSON strings are never numbers: the result's serial stays bare hex (CSV adds "0x").
        QCOMPARE(firstResult(r).value(QStringLiteral("serial")).toString(), l.serial);
        QCOMPARE(leaf.value(QStringLiteral("not_before")).toString(),
                 QStringLiteral("2026-03-05T12:00:00Z"));
        QCOMPARE(leaf.value(QStringLiteral("not_after")).toString(),
                 QStringLiteral("2026-06-03T12:00:00Z"));
        QCOMPARE(leaf.value(QStringLiteral("san")).toArray(),
                 QJsonArray::fromStringList(l.subjectAltNames));
        QCOMPARE(leaf.value(QStringLiteral("key_type")).toString(), QStringLiteral("EC"));
        QCOMPARE(leaf.value(QStringLiteral("key_bits")).toInt(), 256);
        QCOMPARE(leaf.value(QStringLiteral("curve")).toString(), QStringLiteral("prime256v1"));
        QCOMPARE(leaf.value(QStringLiteral("signature_algorithm")).toString(),
                 QStringLiteral("ecdsa-with-SHA256"));
        QCOMPARE(leaf.value(QStringLiteral("sha256_fingerprint")).toString(), l.sha256Fingerprint);
        QCOMPARE(leaf.value(QStringLiteral("sha1_fingerprint")).toString(), l.sha1Fingerprint);
        QVERIFY(leaf.value(QStringLiteral("subject_key_id")).isNull());
        QVERIFY(leaf.value(QStringLiteral("authority_key_id")).isNull());
        QCOMPARE(leaf.value(QStringLiteral("is_ca")), QJsonValue(false));
        QVERIFY(leaf.value(QStringLiteral("path_length")).isNull()); // no constraint
        QCOMPARE(leaf.value(QStringLiteral("key_usage")).toArray(),
                 QJsonArray{QStringLiteral("Digital Signature")});
        QCOMPARE(leaf.value(QStringLiteral("extended_key_usage")).toArray(),
                 QJsonArray{QStringLiteral("TLS Web Server Authentication")});
        QCOMPARE(leaf.value(QStringLiteral("ocsp_urls")).toArray(),
                 QJsonArray{QStringLiteral("http://ocsp.example.com")});
        QCOMPARE(leaf.value(QStringLiteral("ca_issuers_urls")).toArray(), QJsonArray());
        QCOMPARE(leaf.value(QStringLiteral("crl_urls")).toArray(), QJsonArray());
        QCOMPARE(leaf.value(QStringLiteral("sct_count")).toInt(), 2);
        QCOMPARE(leaf.value(QStringLiteral("self_signed")), QJsonValue(false));
        QCOMPARE(leaf.value(QStringLiteral("pem")).toString(), l.pem);
        QCOMPARE(leaf.value(QStringLiteral("text")).toString(), l.text);

        const QJsonObject ca = chain.at(1).toObject();
        QCOMPARE(ca.value(QStringLiteral("is_ca")), QJsonValue(true));
        QCOMPARE(ca.value(QStringLiteral("path_length")), QJsonValue(0));
        QCOMPARE(ca.value(QStringLiteral("subject")).toString(),
                 QStringLiteral("CN=Example CA, O=Example, C=DE"));
    }

    void verifiedPathAndFindingsAreArrays() {
        ProbeResult r = test::okResult();
        r.trust.trusted = false;
        r.trust.findings = {QStringLiteral("expired: CN=Old Cross expired 2026-01-01T00:00:00Z"),
                            QStringLiteral("weak signature: sha1WithRSAEncryption")};
        const QJsonObject row = firstResult(r);
        QCOMPARE(row.value(QStringLiteral("verified_path")).toArray(),
                 (QJsonArray{QStringLiteral("CN=www.example.com, O=Example, C=DE"),
                             QStringLiteral("CN=Example CA, O=Example, C=DE"),
                             QStringLiteral("CN=Example Root, O=Example, C=DE")}));
        QCOMPARE(row.value(QStringLiteral("verification_errors")).toArray(),
                 QJsonArray::fromStringList(r.trust.findings));
        QCOMPARE(row.value(QStringLiteral("trust")).toString(), QStringLiteral("untrusted"));
    }

    void noFormulaGuardInJson() {
        ProbeResult r = test::okResult();
        r.chain.first().subject = QStringLiteral("=cmd|' /C calc'!A0");
        r.error = QStringLiteral("-ERR \"quoted\"\nsecond line");
        const QJsonObject row = firstResult(r);
        QCOMPARE(row.value(QStringLiteral("subject")).toString(), r.chain.first().subject);
        QCOMPARE(row.value(QStringLiteral("error")).toString(), r.error);
        QCOMPARE(row.value(QStringLiteral("chain"))
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(QStringLiteral("subject"))
                     .toString(),
                 r.chain.first().subject);
    }

    void unicodeIsUtf8() {
        ProbeResult r = test::okResult();
        r.chain.first().subject = QString::fromUtf8("CN=Zürich 証明書");
        const QByteArray json = renderJsonReport({r}, test::pinnedNow());
        QVERIFY(json.contains("CN=Z\xc3\xbcrich \xe8\xa8\xbc\xe6\x98\x8e\xe6\x9b\xb8"));
        QCOMPARE(firstResult(r).value(QStringLiteral("subject")).toString(),
                 r.chain.first().subject);
    }
};

QTEST_GUILESS_MAIN(TestJsonReport)
#include "tst_jsonreport.moc"
