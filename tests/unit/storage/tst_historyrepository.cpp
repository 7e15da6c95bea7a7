#include "HistoryFixtures.h"
#include "CertFactory.h"
#include "TestSupport.h"
#include "domain/ExpiryPolicy.h"
#include "domain/ProbeResult.h"
#include "probing/X509.h"
#include "storage/Database.h"
#include "storage/HistoryRepository.h"
#include "storage/Schema.h"
#include "storage/StoredCertificate.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;


class TestHistoryRepository : public QObject {
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_db;

    // One hierarchy for every test: root -> intermediate -> leaves; the intermediate expires
    // before the leaves so that it, not the leaf, limits the endpoint.
    CertificateInfo m_root, m_intermediate, m_staleCross, m_leafA, m_leafA2, m_leafB;

private slots:
    void initTestCase() {
        const TestCert root = makeCert(CertSpec::root(u"History Root"_s));
        CertSpec caSpec = CertSpec::intermediate(u"History CA"_s);
        caSpec.validDays(-200, 40);
        caSpec.ocspUrl = u"http://ocsp.test/"_s;
        caSpec.caIssuersUrl = u"http://ca.test/root.der"_s;
        caSpec.crlUrl = u"http://crl.test/root.crl"_s;
        const TestCert ca = makeCert(caSpec, &root);
        // The old root the intermediate used to chain to, long expired: a served extra that is
        // not on the verified path.
        const TestCert oldRoot = makeCert(CertSpec::root(u"Old Root"_s));
        const TestCert stale =
            crossSign(root, oldRoot, pinnedNow().addDays(-900), pinnedNow().addDays(-10));

        CertSpec leafSpec = CertSpec::leaf(u"a.history.test"_s);
        leafSpec.validDays(-10, 80);
        leafSpec.dnsNames << u"www.a.history.test"_s;
        leafSpec.fakeSctCount = 2;
        const TestCert leafA = makeCert(leafSpec, &ca);
        leafSpec.validDays(-1, 89);
        const TestCert leafA2 = makeCert(leafSpec, &ca);
        const TestCert leafB = makeCert(CertSpec::leaf(u"b.history.test"_s).validDays(-5, 85), &ca);

        m_root = decoded(root);
        m_intermediate = decoded(ca);
        m_staleCross = decoded(stale);
        m_leafA = decoded(leafA);
        m_leafA2 = decoded(leafA2);
        m_leafB = decoded(leafB);
    }

    void init() {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        QString error;
        m_db = Database::open(m_dir->filePath(u"history.sqlite"_s), &error);
        QVERIFY2(m_db, qPrintable(error));
    }

    void cleanup() {
        m_db.reset();
        m_dir.reset();
    }

    void storedJsonRoundTripsEveryField() {
        // Every field set away from its default, so that a field the JSON forgets shows.
        CertificateInfo c;
        static const char der[] = "\x30\x82\x01\x00 not really DER"; // a NUL inside
        c.der = QByteArray(der, sizeof der - 1);
        c.pem = pemFromDer(c.der);
        c.text = u"Certificate:\n    Data: ..."_s;
        c.subject = u"CN=\"quoted\", O=Ünïcode, C=DE"_s;
        c.issuer = u"CN=Issuer"_s;
        c.subjectCommonName = u"\"quoted\""_s;
        c.issuerCommonName = u"Issuer"_s;
        c.serial = u"0A1B2C"_s;
        c.notBefore = pinnedNow().addDays(-3);
        c.notAfter = pinnedNow().addDays(30);
        c.subjectAltNames = QStringList{u"DNS:a.test"_s, u"IP:10.0.0.1"_s};
        c.keyType = u"EC"_s;
        c.keyBits = 256;
        c.curve = u"prime256v1"_s;
        c.signatureAlgorithm = u"ecdsa-with-SHA256"_s;
        c.sha256Fingerprint = u"AA:BB"_s;
        c.sha1Fingerprint = u"CC:DD"_s;
        c.subjectKeyId = u"01:02"_s;
        c.authorityKeyId = u"03:04"_s;
        c.isCa = true;
        c.pathLength = 0;
        c.keyUsage = QStringList{u"Digital Signature"_s, u"Certificate Sign"_s};
        c.extendedKeyUsage = QStringList{u"TLS Web Server Authentication"_s};
        c.ocspUrls = QStringList{u"http://ocsp.test/"_s};
        c.caIssuersUrls = QStringList{u"http://ca.test/ca.der"_s};
        c.crlUrls = QStringList{u"http://crl.test/a.crl"_s, u"http://crl.test/b.crl"_s};
        c.sctCount = 3;
        c.selfIssued = true;
        c.selfSigned = true;

        const QByteArray info = certificateToStoredJson(c);
        QVERIFY(!info.contains("not really DER"));
        QVERIFY(!info.contains("Data: ..."));
        compareCertificate(certificateFromStored(c.der, info, c.text), c);
        if (QTest::currentTestFailed())
            return;

        // Defaults survive too (-1 path length, null times, empty lists).
        CertificateInfo plain;
        plain.der = "x";
        plain.pem = pemFromDer(plain.der);
        compareCertificate(certificateFromStored(plain.der, certificateToStoredJson(plain), {}),
                           plain);
    }

    // The reader that latest() uses must agree with QJsonDocument on whatever text a subject
    // holds (it is chosen by whoever runs the server), and give way to it on JSON it does not
    // expect: whitespace, or keys a newer CertDash added.
    void storedJsonReadsAnySubject_data() {
        QTest::addColumn<QString>("subject");
        QTest::newRow("plain") << u"CN=a.test, O=Org, C=DE"_s;
        QTest::newRow("quotes and backslash") << u"CN=\"a\\b\", O=x/y"_s;
        QTest::newRow("control characters") << u"CN=a\u0001b\nc\td"_s;
        QTest::newRow("non-ASCII") << u"CN=Bücher GmbH, L=Zürich"_s;
        QTest::newRow("outside the BMP") << u"CN=\U0001F510 lock"_s;
        QTest::newRow("brackets in a list value") << u"CN=]\",["_s;
    }

    void storedJsonReadsAnySubject() {
        QFETCH(QString, subject);
        CertificateInfo c;
        c.der = "der";
        c.pem = pemFromDer(c.der);
        c.subject = subject;
        c.issuer = subject;
        c.subjectAltNames = QStringList{u"DNS:"_s + subject, u"DNS:b.test"_s};
        c.keyUsage = QStringList{subject};
        c.notAfter = pinnedNow();
        const QByteArray compact = certificateToStoredJson(c);
        compareCertificate(certificateFromStored(c.der, compact, {}), c);
        if (QTest::currentTestFailed())
            return;

        QJsonObject object = QJsonDocument::fromJson(compact).object();
        QVERIFY(!object.isEmpty());
        const QByteArray indented = QJsonDocument(object).toJson(QJsonDocument::Indented);
        compareCertificate(certificateFromStored(c.der, indented, {}), c);
        if (QTest::currentTestFailed())
            return;
        object.insert(u"added_in_a_later_version"_s, 42);
        const QByteArray newer = QJsonDocument(object).toJson(QJsonDocument::Compact);
        compareCertificate(certificateFromStored(c.der, newer, {}), c);
    }

    // A damaged stored time is no time, never another date (found by fuzz_stored_certificate:
    // "202h-..." read back as year 1 BC, a certificate not valid for two thousand years).
    void damagedStoredTimeIsNull() {
        const CertificateInfo c = certificateFromStored(
            "x", R"({"not_before":"202h-03-15T12:00:00Z","not_after":"2026-06-15T12:00:00Z"})", {});
        QVERIFY2(!c.notBefore.isValid(), qPrintable(c.notBefore.toString(Qt::ISODate)));
        QCOMPARE(c.notAfter, QDateTime(QDate(2026, 6, 15), QTime(12, 0), Qt::UTC));
        const CertificateInfo d = certificateFromStored(
            "x", R"({"not_before":"2026-03-15T12:00:00Z","not_after":"x026-06-15T12:00:00Z"})", {});
        QVERIFY2(!d.notAfter.isValid(), qPrintable(d.notAfter.toString(Qt::ISODate)));
    }

    void pemLinesAtEveryLength_data() {
        QTest::addColumn<int>("size");
        // Around the padding cases (size % 3) and the 48-byte (64-column) line boundary.
        for (int size : {1, 2, 3, 4, 47, 48, 49, 95, 96, 97, 1300})
            QTest::addRow("%d bytes", size) << size;
    }

    void pemLinesAtEveryLength() {
        QFETCH(int, size);
        QByteArray der(size, Qt::Uninitialized);
        for (int i = 0; i < size; ++i)
            der[i] = char((i * 37 + 11) & 0xff);
        const QByteArray base64 = der.toBase64();
        QString expected = u"-----BEGIN CERTIFICATE-----\n"_s;
        for (qsizetype i = 0; i < base64.size(); i += 64)
            expected += QString::fromLatin1(base64.mid(i, 64)) + u"\n"_s;
        expected += u"-----END CERTIFICATE-----\n"_s;
        QCOMPARE(pemFromDer(der), expected);
    }

    void pemIsRebuiltAsOpenSslWritesIt() {
        // decodeCertificate() takes pem from PEM_write_bio_X509; the store rebuilds it.
        QCOMPARE(pemFromDer(m_leafA.der), m_leafA.pem);
        QCOMPARE(pemFromDer(m_root.der), m_root.pem);
    }

    void recordAndLatestRoundTripEveryField() {
        Target target = insertTarget(*m_db, u"a.history.test"_s, {u"prod"_s, u"web"_s});
        // Every target column set, as TargetRepository stores them.
        QSqlQuery q(m_db->connection());
        QVERIFY(
            q.exec(u"UPDATE targets SET name = 'Shop', sni = 'shop.history.test', no_sni = 0, "
                   "addresses = '192.0.2.10 2001:db8::10', starttls = 'smtp', owner = 'web team', "
                   "notes = 'line 1\nline 2', warning_days = 21, critical_days = 5, "
                   "rotation_days = 60, enabled = 0, accept_self_signed = 1, "
                   "pin_issuer = 'History CA', pin_sha256 = '"_s +
                   m_leafA.sha256Fingerprint + u"'"_s));
        target.name = u"Shop"_s;
        target.sni = u"shop.history.test"_s;
        target.addresses = QStringList{u"192.0.2.10"_s, u"2001:db8::10"_s};
        target.startTls = StartTls::Smtp;
        target.owner = u"web team"_s;
        target.notes = u"line 1\nline 2"_s;
        target.warningDays = 21;
        target.criticalDays = 5;
        target.rotationDays = 60;
        target.enabled = false;
        target.acceptance.acceptSelfSigned = true;
        target.acceptance.pinIssuer = u"History CA"_s;
        target.acceptance.pinSha256 = m_leafA.sha256Fingerprint;

        ProbeResult r = certificateResult(target, u"192.0.2.10"_s,
                                          {m_leafA, m_intermediate, m_staleCross}, pinnedNow());
        r.trust.pathToAnchor = true;
        r.trust.trusted = false;
        r.trust.verifiedPath = {m_leafA, m_intermediate, m_root};
        r.trust.add(FindingKind::ExpiredInChain,
                    u"expired: CN=History Root expired 2026-03-05T12:00:00Z"_s);
        r.trust.add(FindingKind::Other, u"odd subject: \"CN=a\nb\", [1,2]"_s);
        applyClassification(r, ExpiryPolicy(), pinnedNow());
        // The trust level (and the pin that accepted it) comes back as judged.
        QCOMPARE(trustLevelKey(r.trustVerdict.level), u"accepted"_s);
        QCOMPARE(r.trustVerdict.acceptedBy, AcceptanceRule::Fingerprint);
        // The verified path is the client path: the intermediate (40 days) limits, not the
        // stale cross-sign in the served chain.
        QVERIFY(r.limiting);
        QCOMPARE(r.limiting->subjectCommonName, u"History CA"_s);
        QCOMPARE(r.limitingRole, u"intermediate"_s);
        QCOMPARE(r.daysLeft, std::optional<int>(40));

        HistoryRepository history(*m_db);
        QString error;
        QVERIFY2(history.record({r}, &error), qPrintable(error));

        const QList<ProbeResult> latest = history.latest(&error, CertificateDetail::Full);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(latest.size(), 1);
        compareResult(latest.first(), r);
        if (QTest::currentTestFailed())
            return;

        // The bulk form leaves out der, pem and text, and nothing else.
        ProbeResult withoutBlobs = r;
        for (QList<CertificateInfo> *list :
             {&withoutBlobs.chain, &withoutBlobs.trust.verifiedPath}) {
            for (CertificateInfo &c : *list) {
                c.der.clear();
                c.pem.clear();
                c.text.clear();
            }
        }
        withoutBlobs.limiting->der.clear();
        withoutBlobs.limiting->pem.clear();
        withoutBlobs.limiting->text.clear();
        const QList<ProbeResult> fields = history.latest(&error);
        QCOMPARE(fields.size(), 1);
        compareResult(fields.first(), withoutBlobs);
        if (QTest::currentTestFailed())
            return;
        // The summary form also leaves out the verified path, yet still finds the limiting
        // certificate on it (the intermediate, not the stale cross-sign in the chain).
        ProbeResult summary = withoutBlobs;
        summary.trust.verifiedPath.clear();
        const QList<ProbeResult> summaries = history.latest(&error, CertificateDetail::Summary);
        QCOMPARE(summaries.size(), 1);
        compareResult(summaries.first(), summary);
        QCOMPARE(summaries.first().limiting->subjectCommonName, u"History CA"_s);
        if (QTest::currentTestFailed())
            return;
        const QList<ProbeResult> one = history.latestFor(target.id, &error);
        QCOMPARE(one.size(), 1);
        compareResult(one.first(), r);
        QVERIFY(history.latestFor(target.id + 1).isEmpty());

        // The probes row carries the chart columns directly.
        QSqlQuery row(m_db->connection());
        QVERIFY(row.exec(u"SELECT leaf_sha256, leaf_not_after, earliest_expiry, limiting_subject, "
                         "trusted, path_to_anchor FROM probes"_s));
        QVERIFY(row.next());
        QCOMPARE(row.value(0).toString(), m_leafA.sha256Fingerprint);
        QCOMPARE(row.value(1).toLongLong(), m_leafA.notAfter.toSecsSinceEpoch());
        QCOMPARE(row.value(2).toLongLong(), m_intermediate.notAfter.toSecsSinceEpoch());
        QCOMPARE(row.value(3).toString(), m_intermediate.subject);
        QCOMPARE(row.value(4).toInt(), 0);
        QCOMPARE(row.value(5).toInt(), 1);
    }

    // A certificate whose notAfter cannot be read is stored without a made-up date: it reads
    // back expired, with no days left, as the limiting certificate, its raw time kept.
    void unreadableTimeRoundTrips() {
        const Target target = insertTarget(*m_db, u"u.history.test"_s, {});
        const TestCert root = makeCert(CertSpec::root(u"Unreadable Root"_s));
        CertSpec spec = CertSpec::leaf(u"u.history.test"_s);
        spec.rawNotBefore = "991332250000Z";
        spec.rawNotAfter = "00000101000000Z";
        const CertificateInfo leaf = decoded(makeCert(spec, &root));
        QVERIFY(!leaf.notAfter.isValid());
        QCOMPARE(leaf.rawNotAfter, u"00000101000000Z"_s);
        ProbeResult r = certificateResult(target, u"192.0.2.20"_s, {leaf}, pinnedNow());
        applyClassification(r, ExpiryPolicy(), pinnedNow());
        QCOMPARE(r.status, Status::Expired);
        QVERIFY(!r.daysLeft);

        HistoryRepository history(*m_db);
        QString error;
        QVERIFY2(history.record({r}, &error), qPrintable(error));
        for (const CertificateDetail detail :
             {CertificateDetail::Full, CertificateDetail::Summary}) {
            const QList<ProbeResult> latest = history.latest(&error, detail);
            QVERIFY2(error.isEmpty(), qPrintable(error));
            QCOMPARE(latest.size(), 1);
            const ProbeResult &back = latest.first();
            QCOMPARE(back.status, Status::Expired);
            QVERIFY(!back.daysLeft);
            QCOMPARE(back.error, r.error);
            QVERIFY(back.limiting);
            QCOMPARE(back.limiting->subject, leaf.subject);
            QVERIFY(!back.limiting->notAfter.isValid());
            QCOMPARE(back.chain.first().rawNotBefore, u"991332250000Z"_s);
            QCOMPARE(back.chain.first().rawNotAfter, u"00000101000000Z"_s);
        }
    }

    // Version 5 moves the parsed fields out of the certificates table. A store written by
    // version 4 keeps every certificate: the same probe reads back, DER, PEM and text included.
    void migratesVersion4KeepingEveryCertificate() {
        const QString file = m_dir->filePath(u"v4.sqlite"_s);
        Target target;
        target.host = u"a.history.test"_s;
        target.port = 443;
        target.createdAt = pinnedNow().addDays(-100);
        target.updatedAt = pinnedNow().addDays(-3);
        ProbeResult r = certificateResult(target, u"192.0.2.4"_s,
                                          {m_leafA, m_intermediate, m_staleCross}, pinnedNow());
        r.trust.pathToAnchor = true;
        r.trust.trusted = true;
        r.trust.verifiedPath = {m_leafA, m_intermediate, m_root};
        applyClassification(r, ExpiryPolicy(), pinnedNow());
        const QList<CertificateInfo> stored{m_leafA, m_intermediate, m_staleCross, m_root};
        {
            QSqlDatabase raw = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"v4"_s);
            raw.setDatabaseName(file);
            QVERIFY(raw.open());
            QSqlQuery q(raw);
            for (int v = 1; v <= 4; ++v) {
                for (const QString &statement : schema::migrationTo(v))
                    QVERIFY2(q.exec(statement), qPrintable(statement));
            }
            QVERIFY(q.exec(u"PRAGMA user_version=4"_s));
            QVERIFY(q.exec(u"PRAGMA application_id=%1"_s.arg(Database::kApplicationId)));
            QVERIFY(q.exec(u"INSERT INTO targets(id, endpoint_key, host, port, created_at, "
                           "updated_at) VALUES (1, 'a.history.test:443', 'a.history.test', 443, "
                           "%1, %2)"_s.arg(target.createdAt.toSecsSinceEpoch())
                               .arg(target.updatedAt.toSecsSinceEpoch())));
            // The certificates row exactly as version 4 wrote it.
            for (qsizetype i = 0; i < stored.size(); ++i) {
                const CertificateInfo &c = stored.at(i);
                QVERIFY(q.prepare(u"INSERT INTO certificates(id, sha256, der, subject, issuer, "
                                  "not_before, not_after, info, text) "
                                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"_s));
                q.addBindValue(i + 1);
                q.addBindValue(c.sha256Fingerprint);
                q.addBindValue(c.der);
                q.addBindValue(c.subject);
                q.addBindValue(c.issuer);
                q.addBindValue(c.notBefore.toSecsSinceEpoch());
                q.addBindValue(c.notAfter.toSecsSinceEpoch());
                q.addBindValue(QString::fromUtf8(certificateToStoredJson(c)));
                q.addBindValue(certificateText(c));
                QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
            }
            QVERIFY(q.prepare(u"INSERT INTO probes(id, target_id, address, sni, probed_at, status, "
                              "days_left, leaf_cert_id, leaf_sha256, earliest_expiry, "
                              "limiting_subject, limiting_role, chain, verified_path, "
                              "path_to_anchor, trusted, tls_version, cipher, duration_ms) "
                              "VALUES (1, 1, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, '1 2 3', '1 2 4', 1, "
                              "1, ?, ?, ?)"_s));
            q.addBindValue(r.address);
            q.addBindValue(r.sni);
            q.addBindValue(r.probedAt.toSecsSinceEpoch());
            q.addBindValue(statusKey(r.status));
            q.addBindValue(*r.daysLeft);
            q.addBindValue(m_leafA.sha256Fingerprint);
            q.addBindValue(r.limiting->notAfter.toSecsSinceEpoch());
            q.addBindValue(r.limiting->subject);
            q.addBindValue(r.limitingRole);
            q.addBindValue(r.tlsVersion);
            q.addBindValue(r.cipher);
            q.addBindValue(r.durationMs);
            QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
            QVERIFY(q.exec(u"INSERT INTO latest_probes(target_id, address, probe_id) "
                           "VALUES (1, '192.0.2.4', 1)"_s));
            q.clear();
            raw.close();
        }
        QSqlDatabase::removeDatabase(u"v4"_s);

        QString error;
        const auto db = Database::open(file, &error);
        QVERIFY2(db, qPrintable(error));
        QCOMPARE(db->schemaVersion(), 10); // through versions 6 (trust levels), 7, 8, 9 and 10 as well
        QCOMPARE(count(*db, u"SELECT count(*) FROM certificates"_s), 4);
        QCOMPARE(count(*db, u"SELECT count(*) FROM certificate_info i JOIN certificates c "
                            "ON c.id = i.certificate_id"_s),
                 4);
        QCOMPARE(count(*db, u"SELECT count(*) FROM pragma_table_info('certificates') "
                            "WHERE name = 'info'"_s),
                 0);
        target.id = 1;
        r.target = target;
        const QList<ProbeResult> latest = HistoryRepository(*db).latestFor(1, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(latest.size(), 1);
        compareResult(latest.first(), r);
        QCOMPARE(count(*db, u"SELECT count(*) FROM pragma_foreign_key_check"_s), 0);
        QSqlQuery check(db->connection());
        QVERIFY(check.exec(u"PRAGMA integrity_check"_s) && check.next());
        QCOMPARE(check.value(0).toString(), u"ok"_s);
    }

    void certificatesAreStoredOnce() {
        const Target a = insertTarget(*m_db, u"a.history.test"_s);
        const Target b = insertTarget(*m_db, u"b.history.test"_s);
        ProbeResult ra =
            certificateResult(a, u"192.0.2.1"_s, {m_leafA, m_intermediate}, pinnedNow());
        ra.trust.pathToAnchor = true;
        ra.trust.verifiedPath = {m_leafA, m_intermediate, m_root};
        ProbeResult rb =
            certificateResult(b, u"192.0.2.2"_s, {m_leafB, m_intermediate}, pinnedNow());
        rb.trust.pathToAnchor = true;
        rb.trust.verifiedPath = {m_leafB, m_intermediate, m_root};

        HistoryRepository history(*m_db);
        QString error;
        QVERIFY2(history.record({ra, rb}, &error), qPrintable(error));
        // leafA, leafB, the shared intermediate and the root: four rows, not seven.
        QCOMPARE(count(*m_db, u"SELECT count(*) FROM certificates"_s), 4);
        QCOMPARE(count(*m_db, u"SELECT count(*) FROM certificates WHERE sha256 = '"_s +
                                  m_intermediate.sha256Fingerprint + u"'"_s),
                 1);

        // A later scan (a separate call) finds the stored ones instead of adding copies.
        ra.probedAt = rb.probedAt = pinnedNow().addSecs(3600);
        QVERIFY2(history.record({ra, rb}, &error), qPrintable(error));
        QCOMPARE(count(*m_db, u"SELECT count(*) FROM certificates"_s), 4);
        QCOMPARE(count(*m_db, u"SELECT count(*) FROM probes"_s), 4);

        // Both results point at the same intermediate and still rebuild their own chains.
        const QList<ProbeResult> latest = history.latest(&error, CertificateDetail::Full);
        QCOMPARE(latest.size(), 2);
        QCOMPARE(latest.at(0).chain.at(0).sha256Fingerprint, m_leafA.sha256Fingerprint);
        QCOMPARE(latest.at(1).chain.at(0).sha256Fingerprint, m_leafB.sha256Fingerprint);
        QCOMPARE(latest.at(0).chain.at(1).der, m_intermediate.der);
        QCOMPARE(latest.at(1).chain.at(1).der, m_intermediate.der);
        QCOMPARE(latest.at(1).trust.verifiedPath.at(2).der, m_root.der);
    }

    void latestIsNewestPerAddress() {
        // Inserted first, so it has the lower id although it is probed last.
        const Target first = insertTarget(*m_db, u"first.history.test"_s);
        const Target multi = insertTarget(*m_db, u"a.history.test"_s);
        const QDateTime t0 = pinnedNow().addDays(-2);
        const QDateTime t1 = pinnedNow().addDays(-1);
        const QDateTime t2 = pinnedNow();

        HistoryRepository history(*m_db);
        QString error;
        // Scan 1: both addresses serve leafA. Scan 2: only .20 answered, with the renewed leaf.
        QVERIFY2(history.record(
                     {certificateResult(multi, u"192.0.2.20"_s, {m_leafA, m_intermediate}, t0),
                      certificateResult(multi, u"192.0.2.10"_s, {m_leafA, m_intermediate}, t0)},
                     &error),
                 qPrintable(error));
        QVERIFY2(history.record(
                     {certificateResult(multi, u"192.0.2.20"_s, {m_leafA2, m_intermediate}, t1),
                      timeoutResult(first, u"198.51.100.1"_s, t2)},
                     &error),
                 qPrintable(error));

        const QList<ProbeResult> latest = history.latest(&error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(latest.size(), 3);
        // Ordered by target id, then address.
        QCOMPARE(latest.at(0).target.id, first.id);
        QCOMPARE(latest.at(0).status, Status::Timeout);
        QCOMPARE(latest.at(1).target.id, multi.id);
        QCOMPARE(latest.at(1).address, u"192.0.2.10"_s);
        QCOMPARE(latest.at(1).probedAt, t0);
        QCOMPARE(latest.at(1).chain.first().sha256Fingerprint, m_leafA.sha256Fingerprint);
        QCOMPARE(latest.at(2).address, u"192.0.2.20"_s);
        QCOMPARE(latest.at(2).probedAt, t1);
        QCOMPARE(latest.at(2).chain.first().sha256Fingerprint, m_leafA2.sha256Fingerprint);
        QCOMPARE(count(*m_db, u"SELECT count(*) FROM probes"_s), 4);

        const QList<ProbeResult> forMulti = history.latestFor(multi.id);
        QCOMPARE(forMulti.size(), 2);
        QCOMPARE(forMulti.at(0).address, u"192.0.2.10"_s);
        QCOMPARE(forMulti.at(1).address, u"192.0.2.20"_s);
    }

    // A large store is read in two halves at once (the upper one through a second connection in
    // another thread); the halves must join into exactly what one read gives, in order, for
    // every detail level.
    void latestReadInHalvesEqualsOneRead_data() {
        QTest::addColumn<CertificateDetail>("detail");
        QTest::newRow("summary") << CertificateDetail::Summary;
        QTest::newRow("fields") << CertificateDetail::Fields;
        QTest::newRow("full") << CertificateDetail::Full;
    }
    void latestReadInHalvesEqualsOneRead() {
        QFETCH(CertificateDetail, detail);
        HistoryRepository history(*m_db);
        QList<ProbeResult> recorded;
        for (int i = 0; i < 9; ++i) {
            const Target t = insertTarget(*m_db, u"t%1.history.test"_s.arg(i),
                                          {u"tag%1"_s.arg(i % 3), u"shared"_s});
            recorded << certificateResult(t, u"192.0.2.%1"_s.arg(i),
                                          {i % 2 ? m_leafA : m_leafB, m_intermediate}, pinnedNow());
            if (i % 3 == 0)
                recorded << timeoutResult(t, u"198.51.100.%1"_s.arg(i), pinnedNow());
        }
        QString error;
        QVERIFY2(history.record(recorded, &error), qPrintable(error));

        const auto describe = [](const QList<ProbeResult> &results) {
            QStringList lines;
            for (const ProbeResult &r : results) {
                QStringList chain;
                for (const CertificateInfo &c : r.chain)
                    chain << c.sha256Fingerprint + c.subject + c.text.left(40);
                lines << u"%1|%2|%3|%4|%5|%6|%7|%8"_s.arg(r.target.id)
                             .arg(r.target.host, r.target.tags.join(u','), r.address,
                                  statusKey(r.status), chain.join(u';'),
                                  r.limiting ? r.limiting->sha256Fingerprint : QString(),
                                  r.trust.findings.join(u';'));
            }
            return lines;
        };
        const int saved = HistoryRepository::s_splitAbove;
        const QList<ProbeResult> whole = history.latest(&error, detail);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        HistoryRepository::s_splitAbove = 1;
        const QList<ProbeResult> halves = history.latest(&error, detail);
        HistoryRepository::s_splitAbove = saved;
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(whole.size(), 12);
        QCOMPARE(describe(halves), describe(whole));
        QCOMPARE(halves.first().target.host, u"t0.history.test"_s);
        QCOMPARE(halves.last().target.host, u"t8.history.test"_s);
    }

    void olderResultRecordedLaterDoesNotReplaceLatest() {
        const Target t = insertTarget(*m_db, u"a.history.test"_s);
        const QDateTime newer = pinnedNow();
        const QDateTime older = pinnedNow().addSecs(-600);
        HistoryRepository history(*m_db);
        QString error;
        QVERIFY(history.record(
            {certificateResult(t, u"192.0.2.1"_s, {m_leafA2, m_intermediate}, newer)}, &error));
        QVERIFY(history.record({timeoutResult(t, u"192.0.2.1"_s, older)}, &error));

        const QList<ProbeResult> latest = history.latest(&error);
        QCOMPARE(latest.size(), 1);
        QCOMPARE(latest.first().probedAt, newer);
        QCOMPARE(latest.first().status, Status::Ok);
        // Still recorded: it is history.
        QCOMPARE(history.history(t.id, {}, {}).size(), 2);

        // Within one batch too, the newest wins whatever the order.
        QVERIFY(history.record(
            {certificateResult(t, u"192.0.2.1"_s, {m_leafA, m_intermediate}, newer.addSecs(60)),
             timeoutResult(t, u"192.0.2.1"_s, newer.addSecs(30))},
            &error));
        QCOMPARE(history.latest().first().probedAt, newer.addSecs(60));
        QCOMPARE(history.latest().first().chain.first().sha256Fingerprint,
                 m_leafA.sha256Fingerprint);
    }

    void failureRoundTrips() {
        const Target t = insertTarget(*m_db, u"down.history.test"_s, {u"legacy"_s});
        HistoryRepository history(*m_db);
        QString error;
        ProbeResult timeout = timeoutResult(t, u"203.0.113.5"_s, pinnedNow());
        ProbeResult unresolved = timeoutResult(t, QString(), pinnedNow());
        unresolved.status = Status::Unreachable;
        unresolved.error = u"DNS: host not found"_s;
        unresolved.sni = QString();
        QVERIFY2(history.record({timeout, unresolved}, &error), qPrintable(error));
        QCOMPARE(count(*m_db, u"SELECT count(*) FROM certificates"_s), 0);

        const QList<ProbeResult> latest = history.latest(&error);
        QCOMPARE(latest.size(), 2);
        // "" (resolution failed) sorts before any address.
        unresolved.sni = u""_s;
        compareResult(latest.at(0), unresolved);
        if (QTest::currentTestFailed())
            return;
        compareResult(latest.at(1), timeout);
        QVERIFY(!latest.at(1).limiting);
        QVERIFY(!latest.at(1).daysLeft);
        QVERIFY(!latest.at(1).hasCertificate());

        const QList<HistoryPoint> points = history.history(t.id, {}, {});
        QCOMPARE(points.size(), 2);
        for (const HistoryPoint &p : points) {
            QVERIFY(!p.daysLeft);
            QVERIFY(p.earliestExpiry.isNull());
            QVERIFY(p.leafNotAfter.isNull());
            QVERIFY(p.leafSha256.isEmpty());
        }
    }

    void historyRangeIsOrderedAndBounded() {
        const Target t = insertTarget(*m_db, u"a.history.test"_s);
        const Target other = insertTarget(*m_db, u"b.history.test"_s);
        HistoryRepository history(*m_db);
        QString error;
        // Recorded out of order, on two addresses, one renewal and one failure in between.
        const QDateTime d = pinnedNow();
        QList<ProbeResult> batch{
            certificateResult(t, u"192.0.2.2"_s, {m_leafA2, m_intermediate}, d.addDays(-1)),
            certificateResult(t, u"192.0.2.1"_s, {m_leafA, m_intermediate}, d.addDays(-3)),
            timeoutResult(t, u"192.0.2.1"_s, d.addDays(-2)),
            certificateResult(t, u"192.0.2.1"_s, {m_leafA2, m_intermediate}, d.addDays(-1)),
            certificateResult(t, u"192.0.2.1"_s, {m_leafA, m_intermediate}, d.addDays(-10)),
            certificateResult(other, u"192.0.2.9"_s, {m_leafB, m_intermediate}, d.addDays(-2)),
        };
        QVERIFY2(history.record(batch, &error), qPrintable(error));

        // Both bounds inclusive: -10 days is outside [-3 days, -1 day], the rest inside.
        const QList<HistoryPoint> points =
            history.history(t.id, d.addDays(-3), d.addDays(-1), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(points.size(), 4);
        QCOMPARE(points.at(0).probedAt, d.addDays(-3));
        QCOMPARE(points.at(0).address, u"192.0.2.1"_s);
        QCOMPARE(points.at(0).status, Status::Ok);
        QCOMPARE(points.at(0).leafSha256, m_leafA.sha256Fingerprint);
        QCOMPARE(points.at(0).leafNotBefore, m_leafA.notBefore);
        QCOMPARE(points.at(0).leafNotAfter, m_leafA.notAfter);
        // The intermediate (40 days after pinnedNow) limits: 43 days left 3 days earlier.
        QCOMPARE(points.at(0).earliestExpiry, m_intermediate.notAfter);
        QCOMPARE(points.at(0).daysLeft, std::optional<int>(43));
        QCOMPARE(points.at(1).probedAt, d.addDays(-2));
        QCOMPARE(points.at(1).status, Status::Timeout);
        QCOMPARE(points.at(1).error, u"timed out after 5 s"_s);
        // Same instant, two addresses: by address.
        QCOMPARE(points.at(2).probedAt, d.addDays(-1));
        QCOMPARE(points.at(2).address, u"192.0.2.1"_s);
        QCOMPARE(points.at(2).leafSha256, m_leafA2.sha256Fingerprint);
        QCOMPARE(points.at(3).address, u"192.0.2.2"_s);

        // One second inside each bound excludes the probes on them.
        QCOMPARE(history.history(t.id, d.addDays(-3).addSecs(1), d.addDays(-1).addSecs(-1)).size(),
                 1);
        // Open ends.
        QCOMPARE(history.history(t.id, {}, d.addDays(-3)).size(), 2);
        QCOMPARE(history.history(t.id, d.addDays(-2), {}).size(), 3);
        QCOMPARE(history.history(t.id, {}, {}).size(), 5);
        QCOMPARE(history.history(other.id, {}, {}).size(), 1);
        QVERIFY(history.history(other.id + 100, {}, {}).isEmpty());
    }

    void resultWithoutTargetIdIsRefused() {
        const Target t = insertTarget(*m_db, u"a.history.test"_s);
        Target unsaved;
        unsaved.host = u"unsaved.history.test"_s;
        HistoryRepository history(*m_db);
        QString error;
        QVERIFY(!history.record(
            {certificateResult(t, u"192.0.2.1"_s, {m_leafA, m_intermediate}, pinnedNow()),
             timeoutResult(unsaved, u"192.0.2.2"_s, pinnedNow())},
            &error));
        QVERIFY2(error.contains(u"unsaved.history.test:443"_s), qPrintable(error));
        QCOMPARE(count(*m_db, u"SELECT count(*) FROM probes"_s), 0);
        QCOMPARE(count(*m_db, u"SELECT count(*) FROM certificates"_s), 0);
        QCOMPARE(count(*m_db, u"SELECT count(*) FROM latest_probes"_s), 0);
    }

    void failureMidwayWritesNothing() {
        // A target id that is not stored fails on the foreign key after the first result has
        // been written: the transaction takes that back too.
        const Target t = insertTarget(*m_db, u"a.history.test"_s);
        Target gone = t;
        gone.id = t.id + 42;
        HistoryRepository history(*m_db);
        QString error;
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"recording failed.*FOREIGN KEY"_s));
        QVERIFY(!history.record(
            {certificateResult(t, u"192.0.2.1"_s, {m_leafA, m_intermediate}, pinnedNow()),
             certificateResult(gone, u"192.0.2.1"_s, {m_leafB, m_intermediate}, pinnedNow())},
            &error));
        QVERIFY(!error.isEmpty());
        QCOMPARE(count(*m_db, u"SELECT count(*) FROM probes"_s), 0);
        QCOMPARE(count(*m_db, u"SELECT count(*) FROM certificates"_s), 0);
        QCOMPARE(count(*m_db, u"SELECT count(*) FROM latest_probes"_s), 0);
        // And the store still works afterwards.
        QVERIFY2(history.record({timeoutResult(t, u"192.0.2.1"_s, pinnedNow())}, &error),
                 qPrintable(error));
        QCOMPARE(history.latest().size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestHistoryRepository)
#include "tst_historyrepository.moc"
