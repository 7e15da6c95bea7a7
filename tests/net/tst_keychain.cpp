// Secrets in the real OS keychain: gnome-keyring (Secret Service) on a private session bus, the
// test's own. `certdash secret` end to end through the real binary, resolveSecret's fallback to
// the documented environment variables, a run with no keychain at all, and no secret in clear in
// any file the program writes.
#include "KeyringSession.h"
#include "secrets/KeychainSecretStore.h"
#include "secrets/SecretStore.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTest>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

namespace {
struct BinaryRun {
    int exitCode = -1;
    QString out;
    QString err;
};

BinaryRun runBinary(const QStringList &arguments, const QProcessEnvironment &environment,
                    const QByteArray &input = {}) {
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(qEnvironmentVariable("CERTDASH_BINARY"), arguments);
    BinaryRun run;
    if (!process.waitForStarted(10000))
        return run;
    process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(60000)) {
        process.kill();
        process.waitForFinished();
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}
} // namespace

class TestKeychain : public QObject {
    Q_OBJECT

    KeyringSession m_keyring;

    QString keyName(const QString &file) const {
        return clientKeySecretName(m_keyring.home() + u"/keys/"_s + file);
    }

private slots:
    void initTestCase() {
        if (qEnvironmentVariable("CERTDASH_BINARY").isEmpty())
            QSKIP("CERTDASH_BINARY is not set (run through ctest)");
        const QString error = m_keyring.start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
        m_keyring.applyToThisProcess();
    }

    void setCheckDeleteThroughTheBinary() {
        const QString name = keyName(u"roundtrip.pem"_s);
        const QByteArray secret = "Round-Trip-Passphrase-7f3a";
        BinaryRun set =
            runBinary({u"secret"_s, u"set"_s, name}, m_keyring.environment(), secret + "\n");
        QCOMPARE(set.exitCode, 0);
        QVERIFY2(set.err.contains(u"stored"_s), qPrintable(set.err));
        QVERIFY(!set.out.contains(QString::fromUtf8(secret)));
        QVERIFY(!set.err.contains(QString::fromUtf8(secret)));

        // What the window and the other commands read: the same entry, newline dropped.
        KeychainSecretStore store;
        const SecretLookup lookup = store.read(name);
        QCOMPARE(int(lookup.outcome), int(SecretLookup::Outcome::Found));
        QCOMPARE(lookup.value, QString::fromUtf8(secret));

        BinaryRun check = runBinary({u"secret"_s, u"check"_s, name}, m_keyring.environment());
        QCOMPARE(check.exitCode, 0);
        QVERIFY2(check.out.contains(u"has an entry"_s), qPrintable(check.out));
        QVERIFY(!check.out.contains(QString::fromUtf8(secret)));
        QVERIFY(!check.err.contains(QString::fromUtf8(secret)));

        BinaryRun remove = runBinary({u"secret"_s, u"delete"_s, name}, m_keyring.environment());
        QCOMPARE(remove.exitCode, 0);
        QCOMPARE(int(store.read(name).outcome), int(SecretLookup::Outcome::NotFound));

        check = runBinary({u"secret"_s, u"check"_s, name}, m_keyring.environment());
        QCOMPARE(check.exitCode, 1);
        QVERIFY2(check.out.contains(u"no entry"_s), qPrintable(check.out));
        remove = runBinary({u"secret"_s, u"delete"_s, name}, m_keyring.environment());
        QCOMPARE(remove.exitCode, 1);
    }

    void relativeKeyPathIsStoredUnderItsAbsoluteName() {
        QProcessEnvironment environment = m_keyring.environment();
        QProcess process;
        process.setProcessEnvironment(environment);
        process.setWorkingDirectory(m_keyring.home());
        process.start(qEnvironmentVariable("CERTDASH_BINARY"),
                      {u"secret"_s, u"set"_s, u"client-key:keys/relative.pem"_s});
        QVERIFY(process.waitForStarted());
        process.write("relative-secret\n");
        process.closeWriteChannel();
        QVERIFY(process.waitForFinished(60000));
        QCOMPARE(process.exitCode(), 0);
        KeychainSecretStore store;
        const SecretLookup lookup = store.read(keyName(u"relative.pem"_s));
        QCOMPARE(int(lookup.outcome), int(SecretLookup::Outcome::Found));
        QCOMPARE(lookup.value, u"relative-secret"_s);
        QVERIFY(store.remove(keyName(u"relative.pem"_s)).isEmpty());
    }

    void emptyOrMultiLineSecretIsRefused_data() {
        QTest::addColumn<QByteArray>("input");
        QTest::newRow("nothing") << QByteArray();
        QTest::newRow("empty line") << QByteArray("\n");
        QTest::newRow("two lines") << QByteArray("first-line\nsecond-line\n");
    }

    void emptyOrMultiLineSecretIsRefused() {
        QFETCH(QByteArray, input);
        const QString name = keyName(u"refused.pem"_s);
        const BinaryRun set =
            runBinary({u"secret"_s, u"set"_s, name}, m_keyring.environment(), input);
        QCOMPARE(set.exitCode, 3);
        QVERIFY(!set.err.contains(u"second-line"_s));
        QVERIFY(!set.err.contains(u"first-line"_s));
        KeychainSecretStore store;
        QCOMPARE(int(store.read(name).outcome), int(SecretLookup::Outcome::NotFound));
    }

    void secretIsInNoFileButTheKeyring() {
        const QString name = u"proxy:http://alice@proxy.example:3128"_s;
        const QByteArray secret = "Needle-In-Files-91c2e";
        QProcessEnvironment environment = m_keyring.environment();
        // Every debug message of the program, into a log under HOME.
        environment.insert(u"QT_LOGGING_RULES"_s, u"*.debug=true"_s);
        const BinaryRun set = runBinary({u"secret"_s, u"set"_s, name}, environment, secret + "\n");
        QCOMPARE(set.exitCode, 0);
        // A store and its settings, written after the secret exists.
        const QString database = m_keyring.home() + u"/.local/share/certdash.db"_s;
        QFile targets(m_keyring.home() + u"/targets.txt"_s);
        QVERIFY(targets.open(QIODevice::WriteOnly));
        targets.write("127.0.0.1:1 name=local\n");
        targets.close();
        const BinaryRun import =
            runBinary({u"import"_s, targets.fileName(), u"--database"_s, database}, environment);
        QCOMPARE(import.exitCode, 0);
        const BinaryRun check = runBinary({u"secret"_s, u"check"_s, name}, environment);
        QCOMPARE(check.exitCode, 0);
        QFile log(m_keyring.home() + u"/certdash.log"_s);
        QVERIFY(log.open(QIODevice::WriteOnly));
        log.write((set.out + set.err + import.out + import.err + check.out + check.err).toUtf8());
        log.close();
        QVERIFY(QFile::exists(database));

        QStringList found = filesContaining(m_keyring.home(), secret);
        found += filesContaining(
            m_keyring.home(),
            QByteArray(reinterpret_cast<const char *>(QString::fromUtf8(secret).utf16()),
                       secret.size() * 2));
        found.removeAll(u".local/share/keyrings/login.keyring"_s);
        QVERIFY2(found.isEmpty(), qPrintable(found.join(u", "_s)));
        QVERIFY(QFile::exists(m_keyring.keyringDirectory() + u"/login.keyring"_s));
        KeychainSecretStore store;
        QCOMPARE(store.read(name).value, QString::fromUtf8(secret));
        QVERIFY(store.remove(name).isEmpty());
    }

    void noKeychainAtAllSaysSoAndWritesNothing() {
        const QString name = keyName(u"nobus.pem"_s);
        const QByteArray secret = "No-Bus-Secret-5d21";
        const QStringList before = filesContaining(m_keyring.home(), QByteArray());
        const BinaryRun set = runBinary({u"secret"_s, u"set"_s, name},
                                        m_keyring.environmentWithoutBus(), secret + "\n");
        QCOMPARE(set.exitCode, 2);
        QVERIFY2(set.err.contains(u"keychain"_s) && set.err.contains(u"nothing was stored"_s),
                 qPrintable(set.err));
        QVERIFY(!set.err.contains(QString::fromUtf8(secret)));
        QVERIFY2(filesContaining(m_keyring.home(), secret).isEmpty(),
                 qPrintable(filesContaining(m_keyring.home(), secret).join(u", "_s)));
        QCOMPARE(filesContaining(m_keyring.home(), QByteArray()), before);

        const BinaryRun check =
            runBinary({u"secret"_s, u"check"_s, name}, m_keyring.environmentWithoutBus());
        QCOMPARE(check.exitCode, 2);
        QVERIFY2(check.err.contains(u"keychain"_s), qPrintable(check.err));
        // And the keychain (which exists, on its bus) did not get it either.
        KeychainSecretStore store;
        QCOMPARE(int(store.read(name).outcome), int(SecretLookup::Outcome::NotFound));
    }

    void aKeychainThatNeverAnswersIsGivenUpOn() {
        const QString name = keyName(u"paused.pem"_s);
        m_keyring.pauseKeyring(true);
        const BinaryRun check = runBinary({u"secret"_s, u"check"_s, name}, m_keyring.environment());
        const BinaryRun set =
            runBinary({u"secret"_s, u"set"_s, name}, m_keyring.environment(), "paused-secret\n");
        m_keyring.pauseKeyring(false);
        QCOMPARE(check.exitCode, 2);
        QVERIFY2(check.err.contains(u"did not answer"_s), qPrintable(check.err));
        QCOMPARE(set.exitCode, 2);
        QVERIFY2(set.err.contains(u"did not answer"_s), qPrintable(set.err));
    }

    // Last: it stops the keychain.
    void environmentOnlyWhenTheKeychainHasNothing() {
        KeychainSecretStore store;
        const QString stored = proxySecretName(QUrl(u"socks5://bob@proxy.example:1080"_s));
        const QString missing = proxySecretName(QUrl(u"socks5://carol@proxy.example:1080"_s));
        QVERIFY(store.write(stored, u"from-keychain"_s).isEmpty());

        qunsetenv(kProxyPasswordVariable);
        ResolvedSecret resolved = resolveSecret(&store, stored, kProxyPasswordVariable);
        QVERIFY(resolved.found);
        QCOMPARE(resolved.value, u"from-keychain"_s);
        resolved = resolveSecret(&store, missing, kProxyPasswordVariable);
        QVERIFY(!resolved.found);
        QVERIFY2(resolved.error.contains(u"certdash secret set"_s), qPrintable(resolved.error));

        qputenv(kProxyPasswordVariable, "from-environment");
        resolved = resolveSecret(&store, stored, kProxyPasswordVariable);
        QCOMPARE(resolved.value, u"from-keychain"_s); // the keychain wins
        resolved = resolveSecret(&store, missing, kProxyPasswordVariable);
        QVERIFY(resolved.found);
        QCOMPARE(resolved.value, u"from-environment"_s);

        m_keyring.stopKeyring();
        const SecretLookup gone = store.read(stored);
        QCOMPARE(int(gone.outcome), int(SecretLookup::Outcome::Unavailable));
        QVERIFY(!gone.error.isEmpty());
        QVERIFY(!store.write(missing, u"x"_s).isEmpty());
        resolved = resolveSecret(&store, stored, kProxyPasswordVariable);
        QVERIFY(resolved.found);
        QCOMPARE(resolved.value, u"from-environment"_s);
        qunsetenv(kProxyPasswordVariable);
        resolved = resolveSecret(&store, stored, kProxyPasswordVariable);
        QVERIFY(!resolved.found);
        QVERIFY(resolved.error.contains(QString::fromLatin1(kProxyPasswordVariable)));
    }
};

QTEST_GUILESS_MAIN(TestKeychain)
#include "tst_keychain.moc"
