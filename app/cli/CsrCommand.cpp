#include "CsrCommand.h"

#include "renewal/RenewalFiles.h"
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
        say(streams.out, commandHelp(parser, QStringLiteral("csr")));
        return kDone;
    }
    if (!parser.isSet(target) || !parser.isSet(output) || !parser.positionalArguments().isEmpty()) {
        say(streams.err, CsrText::tr("certdash csr: --target ENDPOINT and --output DIR are "
                                     "required\n"));
        return kUsageError;
    }
    const QString endpoint = parser.value(target).trimmed();
    const QString directory = parser.value(output);
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

    const RenewalFiles files = writeRenewalFiles(newest->leaf()->der, directory, store);
    switch (files.failure) {
    case RenewalFiles::Failure::None:
        break;
    case RenewalFiles::Failure::Exists:
        say(streams.err, CsrText::tr("certdash csr: %1 (choose another --output)\n").arg(files.error));
        return kUsageError;
    case RenewalFiles::Failure::Request:
        say(streams.err, QStringLiteral("certdash csr: %1: %2\n").arg(found->label(), files.error));
        return kUsageError;
    case RenewalFiles::Failure::NoKeychain:
        say(streams.err, QStringLiteral("certdash csr: %1\n").arg(files.error));
        return kNoKeychain;
    case RenewalFiles::Failure::Io:
        say(streams.err, QStringLiteral("certdash csr: %1\n").arg(files.error));
        return kUsageError;
    }
    say(streams.err,
        CsrText::tr("certdash csr: %1 (%2 key, like %3's certificate); the key's "
                    "passphrase is in the keychain as \"%4\"; %5\n")
            .arg(files.keyPath, files.keyType.describe(), found->label(), files.secretName,
                 files.csrPath));
    return kDone;
}

int runCsr(const QStringList &arguments, const CommandStreams &streams) {
    KeychainSecretStore store;
    return runCsrWith(arguments, streams, store);
}

} // namespace certdash::cli
