// Client certificates for mutual TLS, loaded once per scan from every format a user has: PEM
// certificate and key, an encrypted key, PKCS#12. Keys are made at test time.
#include "ClientCerts.h"

#include "probing/ClientIdentity.h"
#include "secrets/SecretStore.h"

#include <QMap>
#include <QTemporaryDir>
#include <QTest>

#include <openssl/evp.h>
#include <openssl/x509.h>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

namespace {
// A keychain that holds what the test put in it, and counts how often it was asked.
class FakeStore final : public SecretStore {
public:
    QMap<QString, QString> entries;
    int reads = 0;
    SecretLookup read(const QString &name) override {
        ++reads;
        if (entries.contains(name))
            return {SecretLookup::Outcome::Found, entries.value(name), {}};
        return {SecretLookup::Outcome::NotFound, {}, u"no such entry"_s};
    }
    QString write(const QString &name, const QString &value) override {
        entries.insert(name, value);
        return {};
    }
    QString remove(const QString &name) override {
        entries.remove(name);
        return {};
    }
};

const QByteArray kPassphrase = "correct horse battery staple";
} // namespace

class TestClientIdentity : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    ClientPki m_pki;

    QString write(const QString &name, const QByteArray &data) {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    static QByteArray der(X509 *cert) {
        unsigned char *out = nullptr;
        const int n = i2d_X509(cert, &out);
        QByteArray bytes(reinterpret_cast<const char *>(out), n);
        OPENSSL_free(out);
        return bytes;
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_pki = makeClientPki();
        qunsetenv(kClientKeyPassphraseVariable);
    }

    void cleanup() { qunsetenv(kClientKeyPassphraseVariable); }

    void pemCertificateAndKey_data() {
        QTest::addColumn<int>("keyType");
        QTest::newRow("P-256") << int(KeyType::EcP256);
        QTest::newRow("RSA-2048") << int(KeyType::Rsa);
        QTest::newRow("Ed25519") << int(KeyType::Ed25519);
    }

    void pemCertificateAndKey() {
        QFETCH(int, keyType);
        const ClientPki pki = makeClientPki(KeySpec{KeyType(keyType), 2048});
        const QString cert = write(u"pem-%1.crt"_s.arg(keyType), pki.client.pem);
        const QString key = write(u"pem-%1.key"_s.arg(keyType), pki.client.keyPem);
        FakeStore store;
        const auto loaded = ClientIdentity::load(cert, key, &store);
        QVERIFY2(loaded.identity, qPrintable(loaded.error));
        QCOMPARE(store.reads, 0); // not encrypted: the keychain is not asked
        QCOMPARE(der(loaded.identity->certificate()), pki.client.der);
        QVERIFY(
            X509_check_private_key(loaded.identity->certificate(), loaded.identity->privateKey()));
        QCOMPARE(loaded.identity->subject(), u"CN=certdash-monitor"_s);
        QCOMPARE(loaded.identity->keyPath(), key);
        // The Qt engine's view of the same identity.
        QCOMPARE(loaded.identity->qtCertificate(), pki.client.certificate());
        QVERIFY(!loaded.identity->qtKey().isNull());
        QCOMPARE(loaded.identity->qtKey().type(), QSsl::PrivateKey);
        QVERIFY(loaded.identity->qtChain().isEmpty());
    }

    void pemWithKeyAndChainInOneFile() {
        const QString file =
            write(u"bundle.pem"_s, m_pki.client.pem + m_pki.client.keyPem + m_pki.issuingCa.pem);
        const auto loaded = ClientIdentity::load(file, {}, nullptr);
        QVERIFY2(loaded.identity, qPrintable(loaded.error));
        QCOMPARE(der(loaded.identity->certificate()), m_pki.client.der);
        QCOMPARE(sk_X509_num(loaded.identity->chain()), 1);
        QCOMPARE(der(sk_X509_value(loaded.identity->chain(), 0)), m_pki.issuingCa.der);
        QCOMPARE(loaded.identity->qtChain(), QList<QSslCertificate>{m_pki.issuingCa.certificate()});
    }

    void encryptedPemFromKeychain_data() {
        QTest::addColumn<bool>("traditional");
        QTest::newRow("PKCS#8 ENCRYPTED PRIVATE KEY") << false;
        QTest::newRow("Proc-Type: 4,ENCRYPTED") << true;
    }

    void encryptedPemFromKeychain() {
        QFETCH(bool, traditional);
        const QString cert = write(u"enc.crt"_s, m_pki.client.pem);
        const QString key = write(u"enc-%1.key"_s.arg(traditional),
                                  encryptedKeyPem(m_pki.client.keyPem, kPassphrase, traditional));
        FakeStore store;
        store.entries.insert(clientKeySecretName(key), QString::fromUtf8(kPassphrase));
        const auto loaded = ClientIdentity::load(cert, key, &store);
        QVERIFY2(loaded.identity, qPrintable(loaded.error));
        QCOMPARE(store.reads, 1);
        QVERIFY(
            X509_check_private_key(loaded.identity->certificate(), loaded.identity->privateKey()));
    }

    void encryptedPemFromEnvironment() {
        const QString cert = write(u"env.crt"_s, m_pki.client.pem);
        const QString key = write(u"env.key"_s, encryptedKeyPem(m_pki.client.keyPem, kPassphrase));
        qputenv(kClientKeyPassphraseVariable, kPassphrase);
        const auto loaded = ClientIdentity::load(cert, key, nullptr); // no keychain at all
        QVERIFY2(loaded.identity, qPrintable(loaded.error));
    }

    void wrongPassphrase() {
        const QString cert = write(u"wrong.crt"_s, m_pki.client.pem);
        const QString key =
            write(u"wrong.key"_s, encryptedKeyPem(m_pki.client.keyPem, kPassphrase));
        const QByteArray wrong = "not-the-passphrase-4711";
        qputenv(kClientKeyPassphraseVariable, wrong);
        const auto loaded = ClientIdentity::load(cert, key, nullptr);
        QVERIFY(!loaded.identity);
        QVERIFY2(loaded.error.contains(key), qPrintable(loaded.error));
        QVERIFY2(loaded.error.contains(u"wrong passphrase"_s), qPrintable(loaded.error));
        QVERIFY2(!loaded.error.contains(QString::fromUtf8(wrong)), qPrintable(loaded.error));
    }

    void encryptedWithoutAnyPassphrase() {
        const QString cert = write(u"none.crt"_s, m_pki.client.pem);
        const QString key = write(u"none.key"_s, encryptedKeyPem(m_pki.client.keyPem, kPassphrase));
        FakeStore store;
        const auto loaded = ClientIdentity::load(cert, key, &store);
        QVERIFY(!loaded.identity);
        // Says which file, which keychain entry to store and which variable would do.
        QVERIFY2(loaded.error.contains(key), qPrintable(loaded.error));
        QVERIFY2(loaded.error.contains(u"encrypted"_s), qPrintable(loaded.error));
        QVERIFY2(loaded.error.contains(clientKeySecretName(key)), qPrintable(loaded.error));
        QVERIFY2(loaded.error.contains(QLatin1String(kClientKeyPassphraseVariable)),
                 qPrintable(loaded.error));
    }

    void keyDoesNotMatchCertificate() {
        const QString cert = write(u"mismatch.crt"_s, m_pki.client.pem);
        const QString key = write(u"mismatch.key"_s, m_pki.stranger.keyPem);
        const auto loaded = ClientIdentity::load(cert, key, nullptr);
        QVERIFY(!loaded.identity);
        QVERIFY2(loaded.error.contains(u"does not match"_s), qPrintable(loaded.error));
        QVERIFY2(loaded.error.contains(key) && loaded.error.contains(cert),
                 qPrintable(loaded.error));
    }

    void notACertificate_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("expected");
        QTest::newRow("a key given as the certificate")
            << m_pki.client.keyPem << u"not a certificate"_s;
        QTest::newRow("text") << QByteArray("hello, world\n") << u"unsupported format"_s;
        QTest::newRow("PEM of something else")
            << QByteArray("-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n")
            << u"not a certificate"_s;
        QTest::newRow("binary") << QByteArray("\x30\x03\x02\x01\x05garbage", 12)
                                << u"unsupported format"_s;
    }

    void notACertificate() {
        QFETCH(QByteArray, content);
        QFETCH(QString, expected);
        const QString cert = write(u"bad-%1.crt"_s.arg(QTest::currentDataTag()[0]), content);
        const auto loaded = ClientIdentity::load(cert, {}, nullptr);
        QVERIFY(!loaded.identity);
        QVERIFY2(loaded.error.startsWith(cert), qPrintable(loaded.error));
        QVERIFY2(loaded.error.contains(expected), qPrintable(loaded.error));
    }

    void certificateWithoutKey() {
        const QString cert = write(u"nokey.crt"_s, m_pki.client.pem);
        const auto loaded = ClientIdentity::load(cert, {}, nullptr);
        QVERIFY(!loaded.identity);
        QVERIFY2(loaded.error.contains(u"no private key"_s), qPrintable(loaded.error));
        QVERIFY2(loaded.error.contains(u"--client-key"_s), qPrintable(loaded.error));
    }

    void missingFile() {
        const QString cert = m_dir.filePath(u"absent.crt"_s);
        const auto loaded = ClientIdentity::load(cert, {}, nullptr);
        QVERIFY(!loaded.identity);
        QVERIFY2(loaded.error.startsWith(cert), qPrintable(loaded.error));
    }

    void pkcs12WithPassword() {
        const QString file =
            write(u"client.p12"_s,
                  pkcs12(m_pki.client, {m_pki.issuingCa, m_pki.clientRoot}, kPassphrase));
        FakeStore store;
        store.entries.insert(clientKeySecretName(file), QString::fromUtf8(kPassphrase));
        const auto loaded = ClientIdentity::load(file, {}, &store);
        QVERIFY2(loaded.identity, qPrintable(loaded.error));
        QCOMPARE(store.reads, 1);
        QCOMPARE(der(loaded.identity->certificate()), m_pki.client.der);
        QVERIFY(
            X509_check_private_key(loaded.identity->certificate(), loaded.identity->privateKey()));
        QCOMPARE(loaded.identity->keyPath(), file);
        // The extra certificates come along, for both engines.
        QCOMPARE(sk_X509_num(loaded.identity->chain()), 2);
        const QList<QSslCertificate> chain = loaded.identity->qtChain();
        QCOMPARE(chain.size(), 2);
        QVERIFY(chain.contains(m_pki.issuingCa.certificate()));
        QVERIFY(chain.contains(m_pki.clientRoot.certificate()));
        QVERIFY(!loaded.identity->qtKey().isNull());
    }

    void pkcs12WrongPassword() {
        const QString file = write(u"wrong.p12"_s, pkcs12(m_pki.client, {}, kPassphrase));
        const QByteArray wrong = "hunter2-not-it";
        qputenv(kClientKeyPassphraseVariable, wrong);
        const auto loaded = ClientIdentity::load(file, {}, nullptr);
        QVERIFY(!loaded.identity);
        QVERIFY2(loaded.error.contains(file), qPrintable(loaded.error));
        QVERIFY2(loaded.error.contains(u"wrong password"_s), qPrintable(loaded.error));
        QVERIFY2(!loaded.error.contains(QString::fromUtf8(wrong)), qPrintable(loaded.error));
    }

    void pkcs12WithoutPassword() {
        const QString file = write(u"open.p12"_s, pkcs12(m_pki.client, {m_pki.issuingCa}, {}));
        FakeStore store;
        const auto loaded = ClientIdentity::load(file, {}, &store);
        QVERIFY2(loaded.identity, qPrintable(loaded.error));
        QCOMPARE(store.reads, 0);
        QCOMPARE(sk_X509_num(loaded.identity->chain()), 1);
    }

    void pkcs12WithSeparateKeyIsRefused() {
        const QString file = write(u"sep.p12"_s, pkcs12(m_pki.client, {}, {}));
        const QString key = write(u"sep.key"_s, m_pki.client.keyPem);
        const auto loaded = ClientIdentity::load(file, key, nullptr);
        QVERIFY(!loaded.identity);
        QVERIFY2(loaded.error.contains(u"PKCS#12"_s) && loaded.error.contains(file),
                 qPrintable(loaded.error));
    }
};

QTEST_GUILESS_MAIN(TestClientIdentity)
#include "tst_clientidentity.moc"
