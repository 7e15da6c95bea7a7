#include "CsrCommand.h"

#include "renewal/RenewalRequest.h"
#include "reports/Report.h"
#include "secrets/KeychainSecretStore.h"
#include "storage/Database.h"
#include "storage/HistoryRepository.h"
#include "storage/TargetRepository.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace certdash::cli {

namespace {
struct CsrText {
    Q_DECLARE_TR_FUNCTIONS(certdash::cli::Csr)
};

constexpr int kDone = 0;
constexpr int kNoKeychain = 2; // as `certdash secret`: nothing was written
constexpr int kUsageError = 3;

bool matches(const Target &target, const QString &endpoint) {
    if (target.hostPort() == endpoint || (!target.name.isEmpty() && target.name == endpoint))
        return true;
    // "host" alone means port 443; names compare case-insensitively, Unicode or punycode.
    if (target.port == 443 && (target.host.compare(endpoint, Qt::CaseInsensitive) == 0 ||
                               target.asciiHost() == toAsciiHostName(endpoint)))
        return true;
    return target.asciiHost() + QLatin1Char(':') + QString::number(target.port) ==
           endpoint.toLower();
}
} // namespace

int runCsrWith(const QStringList &arguments, const CommandStreams &streams, SecretStore &store) {
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.setApplicationDescription(CsrText::tr(
        "Prepare a renewal for the latest stored certificate of a target: DIR/key.pem, a new "
        "private key of the same type (RSA at least 2048 bits, EC on the same curve), encrypted "
        "with a random passphrase that goes into the OS keychain (`certdash secret check "
        "client-key:DIR/key.pem`), and DIR/csr.pem, a CSR with the same subject and DNS/IP "
        "names signed with SHA-256. Exit codes: 0 written, 2 no usable keychain (nothing "
        "written), 3 usage or input error."));
    const QCommandLineOption help(QStringList{QStringLiteral("h"), QStringLiteral("help")},
                                  CsrText::tr("Show this help."));
    const QCommandLineOption target(QStringLiteral("target"),
                                    CsrText::tr("The stored target: host[:port] or its name."),
                                    CsrText::tr("ENDPOINT"));
    const QCommandLineOption output(QStringList{QStringLiteral("o"), QStringLiteral("output")},
                                    CsrText::tr("The directory for key.pem and csr.pem."),
                                    CsrText::tr("DIR"));
    const QCommandLineOption database = databaseOption();
    parser.addOptions({help, target, output, database});
    if (!parser.parse(QStringList{QStringLiteral("certdash csr")} + arguments)) {
        say(streams.err, QStringLiteral("certdash csr: %1\n").arg(parser.errorText()) +
                             CsrText::tr("Try 'certdash csr --help'.\n"));
        return kUsageError;
    }
    if (parser.isSet(help)) {
        say(streams.out, parser.helpText());
        return kDone;
    }
    if (!parser.isSet(target) || !parser.isSet(output) || !parser.positionalArguments().isEmpty()) {
        say(streams.err, CsrText::tr("certdash csr: --target ENDPOINT and --output DIR are "
                                     "required\n"));
        return kUsageError;
    }
    const QString endpoint = parser.value(target).trimmed();
    const QDir directory(parser.value(output));
    const QString keyPath = directory.absoluteFilePath(QStringLiteral("key.pem"));
    const QString csrPath = directory.absoluteFilePath(QStringLiteral("csr.pem"));
    for (const QString &path : {keyPath, csrPath}) {
        if (QFileInfo::exists(path)) {
            say(streams.err, CsrText::tr("certdash csr: %1 already exists; nothing was written "
                                         "(choose another --output)\n")
                                 .arg(path));
            return kUsageError;
        }
    }

    auto db = openStore(parser.value(database), QStringLiteral("csr"), streams);
    if (!db)
        return kUsageError;
    QString error;
    const QList<Target> targets = TargetRepository(*db, *streams.clock).all(&error);
    const auto found = std::find_if(targets.cbegin(), targets.cend(),
                                    [&](const Target &t) { return matches(t, endpoint); });
    if (found == targets.cend()) {
        say(streams.err, CsrText::tr("certdash csr: no stored target \"%1\" in %2 (see "
                                     "'certdash targets')\n")
                             .arg(endpoint.left(80), db->path()));
        return kUsageError;
    }
    const QList<ProbeResult> latest = HistoryRepository(*db).latestFor(found->id, &error);
    const ProbeResult *newest = nullptr;
    for (const ProbeResult &result : latest) {
        if (result.hasCertificate() && !result.leaf()->der.isEmpty() &&
            (!newest || result.probedAt > newest->probedAt))
            newest = &result;
    }
    if (!newest) {
        say(streams.err,
            CsrText::tr("certdash csr: no certificate of %1 is stored yet: run "
                        "'certdash scan' first%2\n")
                .arg(found->label(),
                     error.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(error)));
        return kUsageError;
    }

    const QByteArray passphrase = randomPassphrase();
    const std::optional<RenewalRequest> request =
        makeRenewalRequest(newest->leaf()->der, passphrase, &error);
    if (!request) {
        say(streams.err, QStringLiteral("certdash csr: %1: %2\n").arg(found->label(), error));
        return kUsageError;
    }
    // The passphrase goes into the keychain first: without one, no key file is ever written.
    const QString secretName = clientKeySecretName(keyPath);
    const QString stored = store.write(secretName, QString::fromLatin1(passphrase));
    if (!stored.isEmpty()) {
        say(streams.err, CsrText::tr("certdash csr: %1; no key was written (a key is only "
                                     "written encrypted, with its passphrase in the keychain)\n")
                             .arg(stored));
        return kNoKeychain;
    }
    if (!directory.exists() && !QDir().mkpath(directory.absolutePath())) {
        store.remove(secretName);
        say(streams.err, CsrText::tr("certdash csr: cannot create %1\n").arg(directory.path()));
        return kUsageError;
    }
    if (!writeFileAtomically(keyPath, request->encryptedKeyPem, &error) ||
        !QFile::setPermissions(keyPath, QFile::ReadOwner | QFile::WriteOwner) ||
        !writeFileAtomically(csrPath, request->csrPem, &error)) {
        QFile::remove(keyPath);
        store.remove(secretName);
        say(streams.err, QStringLiteral("certdash csr: %1\n").arg(error));
        return kUsageError;
    }
    say(streams.err,
        CsrText::tr("certdash csr: %1 (%2 key, like %3's certificate); the key's "
                    "passphrase is in the keychain as \"%4\"; %5\n")
            .arg(keyPath, request->keyType.describe(), found->label(), secretName, csrPath));
    return kDone;
}

int runCsr(const QStringList &arguments, const CommandStreams &streams) {
    KeychainSecretStore store;
    return runCsrWith(arguments, streams, store);
}

} // namespace certdash::cli
