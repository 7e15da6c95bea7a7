#include "RenewalFiles.h"

#include "reports/Report.h"
#include "secrets/SecretStore.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace certdash {

namespace {
struct RenewalText
{
    Q_DECLARE_TR_FUNCTIONS(certdash::Renewal)
};
} // namespace

RenewalFiles writeRenewalFiles(const QByteArray &certificateDer, const QString &directoryPath,
                               SecretStore &store)
{
    RenewalFiles out;
    const QDir directory(directoryPath);
    out.keyPath = directory.absoluteFilePath(QStringLiteral("key.pem"));
    out.csrPath = directory.absoluteFilePath(QStringLiteral("csr.pem"));
    for (const QString &path : {out.keyPath, out.csrPath}) {
        if (QFileInfo::exists(path)) {
            out.failure = RenewalFiles::Failure::Exists;
            out.error = RenewalText::tr("%1 already exists; nothing was written").arg(path);
            return out;
        }
    }
    const QByteArray passphrase = randomPassphrase();
    QString error;
    const std::optional<RenewalRequest> request =
        makeRenewalRequest(certificateDer, passphrase, &error);
    if (!request) {
        out.failure = RenewalFiles::Failure::Request;
        out.error = error;
        return out;
    }
    out.keyType = request->keyType;
    // The passphrase goes into the keychain first: without one, no key file is ever written.
    out.secretName = clientKeySecretName(out.keyPath);
    const QString stored = store.write(out.secretName, QString::fromLatin1(passphrase));
    if (!stored.isEmpty()) {
        out.failure = RenewalFiles::Failure::NoKeychain;
        out.error = RenewalText::tr("%1; no key was written (a key is only written encrypted, "
                                    "with its passphrase in the keychain)")
                        .arg(stored);
        return out;
    }
    if (!directory.exists() && !QDir().mkpath(directory.absolutePath())) {
        store.remove(out.secretName);
        out.failure = RenewalFiles::Failure::Io;
        out.error = RenewalText::tr("cannot create %1").arg(directory.path());
        return out;
    }
    if (!writeFileAtomically(out.keyPath, request->encryptedKeyPem, &error) ||
        !QFile::setPermissions(out.keyPath, QFile::ReadOwner | QFile::WriteOwner) ||
        !writeFileAtomically(out.csrPath, request->csrPem, &error)) {
        QFile::remove(out.keyPath);
        store.remove(out.secretName);
        out.failure = RenewalFiles::Failure::Io;
        out.error = error;
        return out;
    }
    return out;
}

} // namespace certdash
