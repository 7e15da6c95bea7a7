#include "KeychainSecretStore.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QLoggingCategory>
#include <QTimer>

#include <qt6keychain/keychain.h>

Q_LOGGING_CATEGORY(lcKeychain, "certdash.secrets")

namespace certdash {

namespace {
struct KeychainText {
    Q_DECLARE_TR_FUNCTIONS(certdash::SecretStore)
};

struct JobOutcome {
    bool finished = false; // false: the keychain did not answer within the bound
    QKeychain::Error error = QKeychain::NoError;
    QString errorText;
    QString value; // read jobs only
};

// Starts job and waits for it in a local event loop, at most bound. The job deletes itself once
// finished (QtKeychain's autoDelete); a job that outlives the bound is abandoned: its late
// answer reaches nobody (the receiver below is gone by then).
JobOutcome runJob(QKeychain::Job *job, std::chrono::milliseconds bound) {
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // never: it would keep the secret in clear in QSettings
    JobOutcome outcome;
    QEventLoop loop;
    QObject receiver;
    QObject::connect(job, &QKeychain::Job::finished, &receiver, [&](QKeychain::Job *done) {
        outcome.finished = true;
        outcome.error = done->error();
        outcome.errorText = done->errorString();
        if (auto *read = qobject_cast<QKeychain::ReadPasswordJob *>(done))
            outcome.value = read->textData();
        loop.quit();
    });
    QTimer timeout;
    timeout.setSingleShot(true);
    QObject::connect(&timeout, &QTimer::timeout, &loop, &QEventLoop::quit);
    timeout.start(bound);
    job->start();
    if (!outcome.finished)
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    if (!outcome.finished) {
        qCWarning(lcKeychain) << "keychain job for" << job->key() << "did not finish in"
                              << bound.count() << "ms";
        outcome.errorText = KeychainText::tr("the keychain did not answer within %n second(s)",
                                             nullptr, int((bound.count() + 999) / 1000));
    }
    return outcome;
}

QString unavailableText(const JobOutcome &outcome) {
    if (!outcome.finished)
        return outcome.errorText;
    const QString detail = outcome.errorText.isEmpty()
                               ? KeychainText::tr("error %1").arg(int(outcome.error))
                               : outcome.errorText;
    return KeychainText::tr("the keychain is not usable: %1").arg(detail);
}
} // namespace

KeychainSecretStore::KeychainSecretStore(std::chrono::milliseconds bound)
    : m_bound(bound) {}

SecretLookup KeychainSecretStore::read(const QString &name) {
    auto *job = new QKeychain::ReadPasswordJob(QString::fromLatin1(kService));
    job->setKey(name);
    const JobOutcome outcome = runJob(job, m_bound);
    if (outcome.finished && outcome.error == QKeychain::NoError)
        return {SecretLookup::Outcome::Found, outcome.value, {}};
    if (outcome.finished && outcome.error == QKeychain::EntryNotFound)
        return {SecretLookup::Outcome::NotFound,
                {},
                KeychainText::tr("the keychain has no entry named \"%1\"").arg(name)};
    return {SecretLookup::Outcome::Unavailable, {}, unavailableText(outcome)};
}

QString KeychainSecretStore::write(const QString &name, const QString &value) {
    auto *job = new QKeychain::WritePasswordJob(QString::fromLatin1(kService));
    job->setKey(name);
    job->setTextData(value);
    const JobOutcome outcome = runJob(job, m_bound);
    if (outcome.finished && outcome.error == QKeychain::NoError)
        return {};
    return unavailableText(outcome) + KeychainText::tr(": nothing was stored");
}

QString KeychainSecretStore::remove(const QString &name) {
    auto *job = new QKeychain::DeletePasswordJob(QString::fromLatin1(kService));
    job->setKey(name);
    const JobOutcome outcome = runJob(job, m_bound);
    if (outcome.finished && outcome.error == QKeychain::NoError)
        return {};
    if (outcome.finished && outcome.error == QKeychain::EntryNotFound)
        return KeychainText::tr("the keychain has no entry named \"%1\"").arg(name);
    return unavailableText(outcome);
}

} // namespace certdash
