#include "SecretStore.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QUrl>

namespace certdash {

namespace {
struct SecretText
{
    Q_DECLARE_TR_FUNCTIONS(certdash::SecretStore)
};
} // namespace

SecretLookup NoSecretStore::read(const QString &) {
    return {SecretLookup::Outcome::Unavailable, {},
            SecretText::tr("no keychain is available to this program")};
}

QString NoSecretStore::write(const QString &, const QString &) {
    return SecretText::tr("no keychain is available to this program: nothing was stored");
}

QString NoSecretStore::remove(const QString &) {
    return SecretText::tr("no keychain is available to this program");
}

QString clientKeySecretName(const QString &keyOrPkcs12Path) {
    return QStringLiteral("client-key:") +
           QDir::cleanPath(QFileInfo(keyOrPkcs12Path).absoluteFilePath());
}

QString proxySecretName(const QUrl &proxy) {
    QUrl url;
    url.setScheme(proxy.scheme().toLower());
    url.setUserName(proxy.userName());
    url.setHost(proxy.host().toLower());
    url.setPort(proxy.port());
    return QStringLiteral("proxy:") + url.toString(QUrl::FullyEncoded);
}

ResolvedSecret resolveSecret(SecretStore *store, const QString &name,
                             const char *environmentVariable) {
    QString why;
    if (store) {
        const SecretLookup lookup = store->read(name);
        if (lookup.outcome == SecretLookup::Outcome::Found)
            return {true, lookup.value, {}};
        why = lookup.error;
    } else {
        why = SecretText::tr("no keychain is available to this program");
    }
    const QString fromEnvironment = qEnvironmentVariable(environmentVariable);
    if (!fromEnvironment.isEmpty())
        return {true, fromEnvironment, {}};
    return {false, {},
            SecretText::tr("no secret named \"%1\" (%2): store it with `certdash secret set %1` "
                           "(it reads the secret from standard input), or set %3 for a run "
                           "without a keychain")
                .arg(name, why, QString::fromLatin1(environmentVariable))};
}

} // namespace certdash
