// The renewal helper end to end: `certdash csr` on the latest stored certificate of a target,
// checked with the openssl command line (the CSR verifies, its names equal the certificate's,
// the key is like the certificate's and opens only with the passphrase from the keychain), and
// nothing written without a keychain. The keychain is a real gnome-keyring of the test's own.
#include "CertFactory.h"
#include "KeyringSession.h"
#include "TestSupport.h"
#include "domain/ExpiryPolicy.h"
#include "probing/X509.h"
#include "secrets/KeychainSecretStore.h"
#include "storage/Database.h"
#include "storage/HistoryRepository.h"
#include "storage/TargetRepository.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

namespace {
struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

Run run(const QString &program, const QStringList &arguments,
        const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment()) {
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(program, arguments);
    Run result;
    if (!process.waitForStarted(10000))
        return result;
    process.closeWriteChannel();
    if (!process.waitForFinished(120000)) {
        process.kill();
        process.waitForFinished();
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

Run openssl(const QStringList &arguments) {
    return run(u"openssl"_s, arguments);
}

// The line after "X509v3 Subject Alternative Name:" in `openssl ... -text`.
QString subjectAltNames(const QString &text) {
    const QStringList lines = text.split(u'\n');
    for (int i = 0; i + 1 < lines.size(); ++i) {
        if (lines.at(i).contains(u"X509v3 Subject Alternative Name"_s))
            return lines.at(i + 1).trimmed();
    }
    return {};
}
} // namespace

class TestRenewal : public QObject {
    Q_OBJECT

    KeyringSession m_keyring;
    QTemporaryDir m_dir;
    QString m_database;

    // Stores target host:443 with cert as its latest probed certificate.
    void storeCertificate(const QString &host, const TestCert &cert) {
        QString error;
        auto db = Database::open(m_database, &error);
        QVERIFY2(db, qPrintable(error));
        const SystemClock clock;
        TargetRepository targets(*db, clock);
        Target target;
        target.host = host;
        QVERIFY2(targets.importTargets({target}, &error), qPrintable(error));
        for (const Target &stored : targets.all(&error)) {
            if (stored.host == host)
                target = stored;
        }
        QVERIFY(target.id > 0);
        const std::optional<CertificateInfo> info = decodeCertificate(cert.der, &error);
        QVERIFY2(info, qPrintable(error));
        ProbeResult result;
        result.target = target;
        result.address = u"192.0.2.7"_s;
        result.sni = host;
        result.chain = {*info};
        result.probedAt = QDateTime::currentDateTimeUtc();
        applyClassification(result, ExpiryPolicy(), result.probedAt);
        QVERIFY2(HistoryRepository(*db).record({result}, &error), qPrintable(error));
    }

private slots:
    void initTestCase() {
        if (qEnvironmentVariable("CERTDASH_BINARY").isEmpty())
            QSKIP("CERTDASH_BINARY is not set (run through ctest)");
        QVERIFY(m_dir.isValid());
        m_database = m_dir.filePath(u"renewal.db"_s);
        const QString error = m_keyring.start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
        m_keyring.applyToThisProcess();
    }

    void csrLikeTheCertificate_data() {
        QTest::addColumn<QString>("host");
        QTest::addColumn<KeySpec>("key");
        QTest::addColumn<QString>("expectedKey"); // in `openssl pkey -text`
        QTest::newRow("RSA 3072 stays 3072")
            << u"rsa3072.renew.test"_s << KeySpec::rsa(3072) << u"Private-Key: (3072 bit"_s;
        QTest::newRow("RSA 1024 becomes 2048")
            << u"rsa1024.renew.test"_s << KeySpec::rsa(1024) << u"Private-Key: (2048 bit"_s;
        QTest::newRow("EC P-384 keeps its curve")
            << u"p384.renew.test"_s << KeySpec::ecP384() << u"NIST CURVE: P-384"_s;
        QTest::newRow("EC P-256 keeps its curve")
            << u"p256.renew.test"_s << KeySpec::ecP256() << u"NIST CURVE: P-256"_s;
        QTest::newRow("Ed25519 stays Ed25519")
            << u"ed25519.renew.test"_s << KeySpec::ed25519() << u"ED25519 Private-Key"_s;
    }

    void csrLikeTheCertificate() {
        QFETCH(QString, host);
        QFETCH(KeySpec, key);
        QFETCH(QString, expectedKey);
        CertSpec spec = CertSpec::leaf(host);
        spec.organization = u"Renewal Test Org"_s;
        spec.country = u"DE"_s;
        spec.key = key;
        spec.dnsNames = {host, u"www."_s + host, u"*.api."_s + host};
        spec.ipAddresses = {u"192.0.2.7"_s, u"2001:db8::7"_s};
        spec.emails = {u"ops@renew.test"_s}; // not a server name: not carried over
        const TestCert cert = makeCert(spec);
        storeCertificate(host, cert);
        if (QTest::currentTestFailed())
            return;

        const QString output = m_dir.filePath(host);
        const Run csr =
            run(qEnvironmentVariable("CERTDASH_BINARY"),
                {u"csr"_s, u"--target"_s, host, u"--database"_s, m_database, u"--output"_s, output},
                m_keyring.environment());
        QVERIFY2(csr.exitCode == 0, qPrintable(csr.err));
        const QString keyPath = output + u"/key.pem"_s;
        const QString csrPath = output + u"/csr.pem"_s;

        // The CSR's self-signature verifies, with SHA-256 (Ed25519: no separate digest).
        const Run verify = openssl({u"req"_s, u"-verify"_s, u"-in"_s, csrPath, u"-noout"_s});
        QVERIFY2(verify.exitCode == 0, qPrintable(verify.err + verify.out));
        const Run csrText = openssl({u"req"_s, u"-in"_s, csrPath, u"-noout"_s, u"-text"_s});
        QCOMPARE(csrText.exitCode, 0);
        QVERIFY2(csrText.out.contains(u"Signature Algorithm: sha256With"_s) ||
                     csrText.out.contains(u"Signature Algorithm: ecdsa-with-SHA256"_s) ||
                     (key.type == KeyType::Ed25519 &&
                      csrText.out.contains(u"Signature Algorithm: ED25519"_s)),
                 qPrintable(csrText.out));

        // Same subject, same DNS and IP names (the e-mail SAN is no server name).
        QFile certFile(m_dir.filePath(host + u".crt"_s));
        QVERIFY(certFile.open(QIODevice::WriteOnly));
        certFile.write(cert.pem);
        certFile.close();
        const Run certSubject = openssl({u"x509"_s, u"-in"_s, certFile.fileName(), u"-noout"_s,
                                         u"-subject"_s, u"-nameopt"_s, u"RFC2253"_s});
        const Run csrSubject = openssl(
            {u"req"_s, u"-in"_s, csrPath, u"-noout"_s, u"-subject"_s, u"-nameopt"_s, u"RFC2253"_s});
        QVERIFY(certSubject.out.contains(u"O=Renewal Test Org"_s));
        QCOMPARE(csrSubject.out.trimmed(), certSubject.out.trimmed());
        const Run certText =
            openssl({u"x509"_s, u"-in"_s, certFile.fileName(), u"-noout"_s, u"-text"_s});
        QString expectedNames = subjectAltNames(certText.out);
        QVERIFY(expectedNames.contains(u"email:ops@renew.test"_s));
        expectedNames.remove(
            QRegularExpression(u", email:ops@renew.test|email:ops@renew.test, "_s));
        QCOMPARE(subjectAltNames(csrText.out), expectedNames);
        QVERIFY(expectedNames.contains(u"IP Address:2001:DB8:0:0:0:0:0:7"_s));

        // The key: encrypted, opens with the keychain's passphrase only, and is the CSR's.
        QFile keyFile(keyPath);
        QVERIFY(keyFile.open(QIODevice::ReadOnly));
        QVERIFY(keyFile.readAll().startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        QCOMPARE(keyFile.permissions() & (QFile::ReadGroup | QFile::ReadOther),
                 QFileDevice::Permissions());
        KeychainSecretStore store;
        const SecretLookup passphrase = store.read(clientKeySecretName(keyPath));
        QCOMPARE(int(passphrase.outcome), int(SecretLookup::Outcome::Found));
        QVERIFY(passphrase.value.size() >= 32);
        QVERIFY(!csr.err.contains(passphrase.value));
        const Run wrong =
            openssl({u"pkey"_s, u"-in"_s, keyPath, u"-passin"_s, u"pass:wrong"_s, u"-noout"_s});
        QVERIFY(wrong.exitCode != 0);
        const Run none =
            openssl({u"pkey"_s, u"-in"_s, keyPath, u"-passin"_s, u"pass:"_s, u"-noout"_s});
        QVERIFY(none.exitCode != 0);
        const Run opened = openssl({u"pkey"_s, u"-in"_s, keyPath, u"-passin"_s,
                                    u"pass:"_s + passphrase.value, u"-noout"_s, u"-text"_s});
        QVERIFY2(opened.exitCode == 0, qPrintable(opened.err));
        QVERIFY2(opened.out.contains(expectedKey), qPrintable(opened.out.left(200)));
        const Run keyPublic = openssl({u"pkey"_s, u"-in"_s, keyPath, u"-passin"_s,
                                       u"pass:"_s + passphrase.value, u"-pubout"_s});
        const Run csrPublic = openssl({u"req"_s, u"-in"_s, csrPath, u"-noout"_s, u"-pubkey"_s});
        QCOMPARE(keyPublic.out, csrPublic.out);
        QVERIFY(store.remove(clientKeySecretName(keyPath)).isEmpty());

        // Never over an existing key.
        const Run again =
            run(qEnvironmentVariable("CERTDASH_BINARY"),
                {u"csr"_s, u"--target"_s, host, u"--database"_s, m_database, u"--output"_s, output},
                m_keyring.environment());
        QCOMPARE(again.exitCode, 3);
        QVERIFY2(again.err.contains(u"already exists"_s), qPrintable(again.err));
    }

    void noKeychainNoKey() {
        const QString host = u"nokeychain.renew.test"_s;
        CertSpec spec = CertSpec::leaf(host);
        spec.key = KeySpec::rsa(2048);
        storeCertificate(host, makeCert(spec));
        const QString output = m_dir.filePath(host);
        const Run csr =
            run(qEnvironmentVariable("CERTDASH_BINARY"),
                {u"csr"_s, u"--target"_s, host, u"--database"_s, m_database, u"--output"_s, output},
                m_keyring.environmentWithoutBus());
        QCOMPARE(csr.exitCode, 2);
        QVERIFY2(csr.err.contains(u"keychain"_s) && csr.err.contains(u"no key was written"_s),
                 qPrintable(csr.err));
        QVERIFY(!QFile::exists(output + u"/key.pem"_s));
        QVERIFY(!QFile::exists(output + u"/csr.pem"_s));
    }

    void unknownTargetOrNoCertificate() {
        const Run unknown = run(qEnvironmentVariable("CERTDASH_BINARY"),
                                {u"csr"_s, u"--target"_s, u"absent.renew.test"_s, u"--database"_s,
                                 m_database, u"--output"_s, m_dir.filePath(u"absent"_s)},
                                m_keyring.environment());
        QCOMPARE(unknown.exitCode, 3);
        QVERIFY2(unknown.err.contains(u"no stored target \"absent.renew.test\""_s),
                 qPrintable(unknown.err));
        QVERIFY(!QFile::exists(m_dir.filePath(u"absent"_s)));
    }
};

QTEST_GUILESS_MAIN(TestRenewal)
#include "tst_renewal.moc"
