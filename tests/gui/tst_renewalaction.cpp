// The details pane's "Renewal request...": a new key like the shown certificate's and a CSR with
// its names, the key encrypted under a passphrase that only the keychain holds.
#include "CertFactory.h"
#include "TestSupport.h"
#include "probing/X509.h"
#include "secrets/SecretStore.h"
#include "widgets/DetailsPane.h"

#include <QFile>
#include <QMap>
#include <QProcess>
#include <QPushButton>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

namespace {
// A keychain that keeps entries in memory (the real one is tested by tst_keychain/tst_renewal).
class MemoryKeychain final : public SecretStore {
public:
    bool available = true;
    QMap<QString, QString> entries;
    SecretLookup read(const QString &name) override {
        if (!available)
            return {SecretLookup::Outcome::Unavailable, {}, u"no keychain"_s};
        if (!entries.contains(name))
            return {SecretLookup::Outcome::NotFound, {}, u"no entry"_s};
        return {SecretLookup::Outcome::Found, entries.value(name), {}};
    }
    QString write(const QString &name, const QString &value) override {
        if (!available)
            return u"no keychain is available"_s;
        entries.insert(name, value);
        return {};
    }
    QString remove(const QString &name) override {
        entries.remove(name);
        return {};
    }
};

QString openssl(const QStringList &arguments, int *exitCode = nullptr) {
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(u"openssl"_s, arguments);
    p.waitForFinished(30000);
    if (exitCode)
        *exitCode = p.exitCode();
    return QString::fromUtf8(p.readAll());
}
} // namespace

class TestRenewalAction : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    ProbeResult resultFor(const TestCert &leaf) {
        const QByteArray der = leaf.certificate().toDer();
        ProbeResult r;
        r.target.host = u"renew.test"_s;
        r.address = u"192.0.2.1"_s;
        r.status = Status::Ok;
        r.probedAt = pinnedNow();
        r.chain = {ossl::certificateInfo(ossl::parseDer(der).get(), der)};
        return r;
    }

private slots:
    void writesKeyAndCsrWithTheCertificatesNames() {
        if (QStandardPaths::findExecutable(u"openssl"_s).isEmpty())
            QSKIP("openssl is not installed");
        const TestCert root = makeCert(CertSpec::root(u"Renew Root"_s).validDays(-100, 3000));
        CertSpec spec = CertSpec::leaf(u"renew.test"_s);
        spec.dnsNames = {u"renew.test"_s, u"www.renew.test"_s};
        spec.validDays(-10, 50);
        const TestCert leaf = makeCert(spec, &root);

        auto keychain = std::make_shared<MemoryKeychain>();
        DetailsPane pane;
        pane.setSecretStore(keychain);
        pane.showResult(resultFor(leaf), {}, {}, pinnedNow());
        QVERIFY(pane.findChild<QPushButton *>(u"renewalRequest"_s)->isEnabled());

        const QString folder = m_dir.filePath(u"renewal"_s);
        const RenewalFiles files = pane.requestRenewal(folder);
        QVERIFY2(files.failure == RenewalFiles::Failure::None, qPrintable(files.error));
        QVERIFY(QFile::exists(files.keyPath) && QFile::exists(files.csrPath));
        QCOMPARE(QFile::permissions(files.keyPath) & (QFile::ReadOther | QFile::ReadGroup),
                 QFile::Permissions());

        int verified = -1;
        const QString csr = openssl({u"req"_s, u"-in"_s, files.csrPath, u"-verify"_s, u"-noout"_s,
                                     u"-text"_s},
                                    &verified);
        QCOMPARE(verified, 0);
        QVERIFY2(csr.contains(u"DNS:renew.test, DNS:www.renew.test"_s), qPrintable(csr));
        QVERIFY2(csr.contains(u"CN = renew.test"_s) || csr.contains(u"CN=renew.test"_s),
                 qPrintable(csr));

        // The key opens with the passphrase the keychain got, and with nothing else.
        const QString passphrase = keychain->entries.value(files.secretName);
        QVERIFY(!passphrase.isEmpty());
        int opened = -1;
        openssl({u"pkey"_s, u"-in"_s, files.keyPath, u"-passin"_s, u"pass:"_s + passphrase,
                 u"-noout"_s},
                &opened);
        QCOMPARE(opened, 0);
        openssl({u"pkey"_s, u"-in"_s, files.keyPath, u"-passin"_s, u"pass:wrong"_s, u"-noout"_s},
                &opened);
        QVERIFY(opened != 0);

        // Nothing is overwritten; without a keychain no key is written at all.
        QCOMPARE(pane.requestRenewal(folder).failure, RenewalFiles::Failure::Exists);
        keychain->available = false;
        const QString other = m_dir.filePath(u"no-keychain"_s);
        const RenewalFiles refused = pane.requestRenewal(other);
        QCOMPARE(refused.failure, RenewalFiles::Failure::NoKeychain);
        QVERIFY(!QFile::exists(other + u"/key.pem"_s));

        pane.clear();
        QVERIFY(!pane.findChild<QPushButton *>(u"renewalRequest"_s)->isEnabled());
    }
};

QTEST_MAIN(TestRenewalAction)
#include "tst_renewalaction.moc"
