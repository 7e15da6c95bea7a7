#include "CertFactory.h"
#include "TestSupport.h"
#include "probing/X509.h"

#include <QRegularExpression>
#include <QSslCertificate>
#include <QTest>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(certdash::test::KeySpec)

namespace {
QString colonHex(const QByteArray &bytes) {
    return QString::fromLatin1(bytes.toHex(':').toUpper());
}
} // namespace

class TestX509 : public QObject {
    Q_OBJECT
private slots:
    void decodesEveryField_data() {
        QTest::addColumn<KeySpec>("key");
        QTest::addColumn<QString>("keyType");
        QTest::addColumn<int>("keyBits");
        QTest::addColumn<QString>("curve");
        QTest::addColumn<QString>("signatureAlgorithm");
        QTest::addColumn<QStringList>("keyUsage");

        const QString ds = QStringLiteral("Digital Signature");
        QTest::newRow("RSA-2048") << KeySpec::rsa(2048) << "RSA" << 2048 << ""
                                  << "sha256WithRSAEncryption"
                                  << QStringList{ds, u"Key Encipherment"_s};
        QTest::newRow("EC P-256") << KeySpec::ecP256() << "EC" << 256 << "prime256v1"
                                  << "ecdsa-with-SHA256" << QStringList{ds};
        QTest::newRow("EC P-384") << KeySpec::ecP384() << "EC" << 384 << "secp384r1"
                                  << "ecdsa-with-SHA256" << QStringList{ds};
        QTest::newRow("Ed25519") << KeySpec::ed25519() << "Ed25519" << 256 << ""
                                 << "ED25519" << QStringList{ds};
    }

    void decodesEveryField() {
        QFETCH(KeySpec, key);
        QFETCH(QString, keyType);
        QFETCH(int, keyBits);
        QFETCH(QString, curve);
        QFETCH(QString, signatureAlgorithm);
        QFETCH(QStringList, keyUsage);

        CertSpec rootSpec = CertSpec::root(QStringLiteral("Test Root"));
        rootSpec.key = key;
        const TestCert root = makeCert(rootSpec);

        CertSpec spec = CertSpec::leaf(QStringLiteral("leaf.test"));
        spec.key = key;
        spec.organization = QStringLiteral("Acme Müller");
        spec.country = QStringLiteral("DE");
        spec.validDays(-80, 10);
        spec.serialHex = "0A1B2C3D4E5F";
        spec.dnsNames << QStringLiteral("*.leaf.test");
        spec.ipAddresses = {QStringLiteral("192.0.2.7"), QStringLiteral("2001:db8::1")};
        spec.emails = {QStringLiteral("hostmaster@leaf.test")};
        spec.uris = {QStringLiteral("https://leaf.test/id")};
        spec.ocspUrl = QStringLiteral("http://ocsp.leaf.test");
        spec.caIssuersUrl = QStringLiteral("http://ca.leaf.test/root.der");
        spec.crlUrl = QStringLiteral("http://crl.leaf.test/root.crl");
        spec.fakeSctCount = 2;
        const TestCert leaf = makeCert(spec, &root);

        QString error;
        const std::optional<CertificateInfo> info = decodeCertificate(leaf.der, &error);
        QVERIFY2(info, qPrintable(error));
        const std::optional<CertificateInfo> rootInfo = decodeCertificate(root.der);
        QVERIFY(rootInfo);

        QCOMPARE(info->der, leaf.der);
        QCOMPARE(info->subject, QStringLiteral("CN=leaf.test, O=Acme Müller, C=DE"));
        QCOMPARE(info->issuer, QStringLiteral("CN=Test Root, O=CertDash Test"));
        QCOMPARE(info->subjectCommonName, QStringLiteral("leaf.test"));
        QCOMPARE(info->issuerCommonName, QStringLiteral("Test Root"));
        QCOMPARE(info->displayName(), QStringLiteral("leaf.test"));
        QCOMPARE(info->serial, QStringLiteral("0A1B2C3D4E5F"));
        QCOMPARE(info->notBefore, pinnedNow().addDays(-80));
        QCOMPARE(info->notAfter, pinnedNow().addDays(10));
        QCOMPARE(info->notAfter.timeSpec(), Qt::UTC);
        QCOMPARE(info->subjectAltNames,
                 QStringList({u"DNS:leaf.test"_s, u"DNS:*.leaf.test"_s, u"IP:192.0.2.7"_s,
                              u"IP:2001:db8::1"_s, u"email:hostmaster@leaf.test"_s,
                              u"URI:https://leaf.test/id"_s}));
        QCOMPARE(info->keyType, keyType);
        QCOMPARE(info->keyBits, keyBits);
        QCOMPARE(info->curve, curve);
        QCOMPARE(info->signatureAlgorithm, signatureAlgorithm);

        // Fingerprints as Qt (a different code path) computes them.
        const QSslCertificate qt = leaf.certificate();
        QCOMPARE(info->sha256Fingerprint, colonHex(qt.digest(QCryptographicHash::Sha256)));
        QCOMPARE(info->sha1Fingerprint, colonHex(qt.digest(QCryptographicHash::Sha1)));
        QCOMPARE(info->sha256Fingerprint.size(), 32 * 3 - 1);

        const QRegularExpression keyId(QStringLiteral("^([0-9A-F]{2}:){19}[0-9A-F]{2}$"));
        QVERIFY2(keyId.match(info->subjectKeyId).hasMatch(), qPrintable(info->subjectKeyId));
        QCOMPARE(info->authorityKeyId, rootInfo->subjectKeyId);
        QVERIFY(info->subjectKeyId != rootInfo->subjectKeyId);

        QVERIFY(!info->isCa);
        QCOMPARE(info->pathLength, -1);
        QCOMPARE(info->keyUsage, keyUsage);
        QCOMPARE(info->extendedKeyUsage, QStringList{u"TLS Web Server Authentication"_s});
        QCOMPARE(info->ocspUrls, QStringList{u"http://ocsp.leaf.test"_s});
        QCOMPARE(info->caIssuersUrls, QStringList{u"http://ca.leaf.test/root.der"_s});
        QCOMPARE(info->crlUrls, QStringList{u"http://crl.leaf.test/root.crl"_s});
        QCOMPARE(info->sctCount, 2);
        QVERIFY(!info->selfIssued);
        QVERIFY(!info->selfSigned);

        QVERIFY(info->text.contains(QStringLiteral("X509v3 Subject Alternative Name")));
        QVERIFY(info->text.contains(QStringLiteral("Acme Müller")));
        QVERIFY(info->pem.startsWith(QStringLiteral("-----BEGIN CERTIFICATE-----\n")));
        QCOMPARE(QSslCertificate(info->pem.toLatin1(), QSsl::Pem).toDer(), leaf.der);

        // Decoding what Qt parsed (its X509 handle) gives exactly the same.
        const std::optional<CertificateInfo> viaQt = decodeCertificate(leaf.certificate());
        QVERIFY(viaQt);
        QCOMPARE(viaQt->der, info->der);
        QCOMPARE(viaQt->text, info->text);
        QCOMPARE(viaQt->subjectAltNames, info->subjectAltNames);
        QCOMPARE(viaQt->sha256Fingerprint, info->sha256Fingerprint);
        // Without known DER, the SHA-1 is the one OpenSSL cached with the extensions.
        QCOMPARE(viaQt->sha1Fingerprint, info->sha1Fingerprint);

        QVERIFY(rootInfo->isCa);
        QCOMPARE(rootInfo->pathLength, -1);
        QCOMPARE(rootInfo->keyUsage,
                 QStringList({u"Digital Signature"_s, u"Certificate Sign"_s, u"CRL Sign"_s}));
        QVERIFY(rootInfo->extendedKeyUsage.isEmpty());
        QCOMPARE(rootInfo->sctCount, 0);
        QVERIFY(rootInfo->selfIssued);
        QVERIFY(rootInfo->selfSigned);
        QVERIFY(rootInfo->ocspUrls.isEmpty() && rootInfo->crlUrls.isEmpty());
    }

    void pathLengthAndWeakDigest() {
        const TestCert root = makeCert(CertSpec::root(QStringLiteral("Root")));
        CertSpec spec = CertSpec::intermediate(QStringLiteral("Issuing CA"), 2);
        spec.digest = Digest::Sha1;
        spec.key = KeySpec::rsa(1024);
        const auto ca = decodeCertificate(makeCert(spec, &root).der);
        QVERIFY(ca);
        QVERIFY(ca->isCa);
        QCOMPARE(ca->pathLength, 2);
        // Signed by the EC root with SHA-1.
        QCOMPARE(ca->signatureAlgorithm, QStringLiteral("ecdsa-with-SHA1"));
        QCOMPARE(ca->keyBits, 1024);

        CertSpec md5 = CertSpec::leaf(QStringLiteral("md5.test"));
        md5.digest = Digest::Md5;
        md5.key = KeySpec::rsa(2048);
        const TestCert md5Leaf = makeCert(md5); // self-signed with RSA
        const auto info = decodeCertificate(md5Leaf.der);
        QVERIFY(info);
        QCOMPARE(info->signatureAlgorithm, QStringLiteral("md5WithRSAEncryption"));
    }

    void selfIssuedIsNotSelfSigned() {
        // Same name as its issuer, but another key signed it: what a re-keyed CA looks like.
        const TestCert issuer = makeCert(CertSpec::root(QStringLiteral("Same Name CA")));
        const TestCert cert = makeCert(CertSpec::root(QStringLiteral("Same Name CA")), &issuer);
        const auto info = decodeCertificate(cert.der);
        QVERIFY(info);
        QVERIFY(info->selfIssued);
        QVERIFY(!info->selfSigned);
    }

    void crossSignKeepsSubjectAndKey() {
        const TestCert oldRoot = makeCert(CertSpec::root(QStringLiteral("Old Root")));
        const TestCert newRoot = makeCert(CertSpec::root(QStringLiteral("New Root")));
        const TestCert cross =
            crossSign(newRoot, oldRoot, pinnedNow().addDays(-300), pinnedNow().addDays(-30));
        const auto a = decodeCertificate(newRoot.der);
        const auto b = decodeCertificate(cross.der);
        QVERIFY(a && b);
        QCOMPARE(b->subject, a->subject);
        QCOMPARE(b->subjectKeyId, a->subjectKeyId);
        QCOMPARE(b->issuerCommonName, QStringLiteral("Old Root"));
        QCOMPARE(b->notAfter, pinnedNow().addDays(-30));
        QCOMPARE(QSslCertificate(cross.der, QSsl::Der).publicKey(),
                 QSslCertificate(newRoot.der, QSsl::Der).publicKey());
        QVERIFY(b->isCa);
    }

    void factoryKeysLoadIntoQt() {
        // LocalTlsServer hands these to QSslServer: each must be a usable private key.
        for (const KeySpec &key :
             {KeySpec::rsa(2048), KeySpec::ecP256(), KeySpec::ecP384(), KeySpec::ed25519()}) {
            CertSpec spec = CertSpec::leaf(u"k.test"_s);
            spec.key = key;
            const TestCert cert = makeCert(spec);
            QVERIFY(!cert.certificate().isNull());
            const QSslKey qtKey = cert.key();
            QVERIFY(!qtKey.isNull());
            QCOMPARE(qtKey.type(), QSsl::PrivateKey);
        }
    }

    void nullQtCertificate() {
        QString error;
        QVERIFY(!decodeCertificate(QSslCertificate(), &error));
        QVERIFY(error.contains(u"empty"_s));
    }

    void subjectWithoutCommonName() {
        CertSpec spec;
        spec.organization = QStringLiteral("No CN Inc");
        spec.dnsNames = {QStringLiteral("nocn.test")};
        const auto info = decodeCertificate(makeCert(spec).der);
        QVERIFY(info);
        QVERIFY(info->subjectCommonName.isEmpty());
        QCOMPARE(info->subject, QStringLiteral("O=No CN Inc"));
        QCOMPARE(info->displayName(), QStringLiteral("O=No CN Inc"));
        QVERIFY(info->keyUsage.size() == 1 && info->extendedKeyUsage.isEmpty());
    }

    void rejectsGarbage_data() {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QString>("errorContains");

        const TestCert cert = makeCert(CertSpec::leaf(QStringLiteral("g.test")));
        QTest::newRow("empty") << QByteArray() << "empty";
        QTest::newRow("text") << QByteArray("hello, world") << "not a DER-encoded X.509";
        QTest::newRow("PEM instead of DER") << cert.pem << "not a DER-encoded X.509";
        QTest::newRow("truncated")
            << cert.der.left(cert.der.size() / 2) << "not a DER-encoded X.509";
        QTest::newRow("trailing bytes") << cert.der + QByteArray("xyz") << "3 unexpected byte";
    }

    void rejectsGarbage() {
        QFETCH(QByteArray, data);
        QFETCH(QString, errorContains);
        QString error;
        QVERIFY(!decodeCertificate(data, &error));
        QVERIFY2(error.contains(errorContains), qPrintable(error));
        QVERIFY(!decodeCertificate(data)); // no error pointer: no crash
    }
};

QTEST_GUILESS_MAIN(TestX509)
#include "tst_x509.moc"
