#include "SecretCommands.h"

#include "fleet/FleetSource.h"
#include "secrets/KeychainSecretStore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QUrl>

#include <termios.h>
#include <unistd.h>

namespace certdash::cli {

namespace {
struct SecretCliText {
    Q_DECLARE_TR_FUNCTIONS(certdash::cli::Secret)
};

constexpr qint64 kMaximumSecretBytes = 64 * 1024;

// Turns the terminal's echo off while the secret is typed (nothing to do for a pipe or a file).
class EchoOff {
public:
    EchoOff() {
        if (::isatty(STDIN_FILENO) != 1 || ::tcgetattr(STDIN_FILENO, &m_saved) != 0)
            return;
        termios quiet = m_saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        m_active = ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
    }
    ~EchoOff() {
        if (m_active)
            ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &m_saved);
    }
    bool active() const { return m_active; }
    EchoOff(const EchoOff &) = delete;
    EchoOff &operator=(const EchoOff &) = delete;

private:
    termios m_saved{};
    bool m_active = false;
};

QByteArray readInput(QIODevice *input, bool interactive) {
    // A terminal gives one line at a time: read only the first. A pipe or file: read it all, so
    // that a second line is noticed (and refused) rather than silently dropped.
    if (interactive)
        return input->readLine(kMaximumSecretBytes);
    QByteArray data;
    while (data.size() <= kMaximumSecretBytes) {
        const QByteArray chunk = input->read(kMaximumSecretBytes + 1 - data.size());
        if (chunk.isEmpty())
            break;
        data += chunk;
    }
    return data;
}

// After an Unavailable answer: what the user can do about it.
QString noKeychainHint() {
    return SecretCliText::tr("The keychain is the desktop session's Secret Service (gnome-keyring, "
                             "KWallet) on its D-Bus session bus. Without one, headless runs may "
                             "set %1 or %2 instead.\n")
        .arg(QString::fromLatin1(kClientKeyPassphraseVariable),
             QString::fromLatin1(kProxyPasswordVariable));
}

QString usageText() {
    return SecretCliText::tr(
        "Usage: certdash secret set|delete|check NAME\n"
        "\n"
        "Key passphrases, PKCS#12 passwords and proxy passwords live only in the OS keychain\n"
        "(service \"CertDash\"). NAME is what the secret unlocks:\n"
        "  client-key:PATH                 the key or PKCS#12 file (made absolute)\n"
        "  proxy:SCHEME://USER@HOST:PORT   the proxy (no password in it)\n"
        "  fleet:URL                       a Prometheus 'certdash fleet read' reads: its bearer\n"
        "                                  token, or with USER@ in URL its Basic password\n"
        "\n"
        "  set NAME     store the secret read from standard input (one line; not echoed)\n"
        "  delete NAME  remove the entry\n"
        "  check NAME   say whether the entry exists (never prints the secret)\n"
        "\n"
        "Exit codes: 0 done (check: the entry exists), 1 no such entry, 2 no usable keychain\n"
        "(nothing was stored), 3 usage or input error.\n");
}
} // namespace

std::optional<QString> canonicalSecretName(const QString &typed, QString *error) {
    const QString clientKeyPrefix = QStringLiteral("client-key:");
    const QString proxyPrefix = QStringLiteral("proxy:");
    if (typed.startsWith(clientKeyPrefix) && typed.size() > clientKeyPrefix.size())
        return clientKeySecretName(typed.mid(clientKeyPrefix.size()));
    if (typed.startsWith(proxyPrefix)) {
        const QUrl url(typed.mid(proxyPrefix.size()), QUrl::StrictMode);
        if (url.isValid() && !url.host().isEmpty() && !url.scheme().isEmpty()) {
            if (!url.password().isEmpty()) {
                *error = SecretCliText::tr("the proxy URL in NAME must not contain a password "
                                           "(give it on standard input)");
                return std::nullopt;
            }
            return proxySecretName(url);
        }
    }
    const QString fleetPrefix = QStringLiteral("fleet:");
    if (typed.startsWith(fleetPrefix)) {
        const QUrl url(typed.mid(fleetPrefix.size()), QUrl::StrictMode);
        if (!url.password().isEmpty()) {
            *error = SecretCliText::tr("the Prometheus URL in NAME must not contain a password "
                                       "(give it on standard input)");
            return std::nullopt;
        }
        QUrl bare = url;
        bare.setUserInfo({});
        if (fleetUrlProblem(bare.toString()).isEmpty()) {
            FleetSource source;
            source.url = bare;
            source.user = url.userName();
            source.auth = source.user.isEmpty() ? FleetSource::Auth::Bearer
                                                : FleetSource::Auth::Basic;
            return source.secretKey();
        }
    }
    *error = SecretCliText::tr("NAME \"%1\" is neither client-key:PATH, "
                               "proxy:SCHEME://USER@HOST:PORT nor fleet:URL")
                 .arg(typed.size() > 60 ? typed.left(57) + QStringLiteral("...") : typed);
    return std::nullopt;
}

std::optional<QString> secretFromInput(const QByteArray &input, QString *error) {
    if (input.size() > kMaximumSecretBytes) {
        *error = SecretCliText::tr("standard input holds more than %1 bytes: a secret is one "
                                   "line")
                     .arg(kMaximumSecretBytes);
        return std::nullopt;
    }
    QByteArray line = input;
    const qsizetype newline = line.indexOf('\n');
    if (newline >= 0) {
        if (!input.mid(newline + 1).trimmed().isEmpty()) {
            *error = SecretCliText::tr("standard input holds more than one line: a secret is "
                                       "one line");
            return std::nullopt;
        }
        line.truncate(newline);
        if (line.endsWith('\r'))
            line.chop(1);
    }
    if (line.isEmpty()) {
        *error = SecretCliText::tr("the secret read from standard input is empty: nothing was "
                                   "stored");
        return std::nullopt;
    }
    return QString::fromUtf8(line);
}

int runSecretWith(const QStringList &arguments, const CommandStreams &streams, SecretStore &store,
                  QIODevice *input) {
    const QString prefix = QStringLiteral("certdash secret: ");
    if (arguments.isEmpty() || arguments.contains(QLatin1String("-h")) ||
        arguments.contains(QLatin1String("--help"))) {
        say(arguments.isEmpty() ? streams.err : streams.out, usageText());
        return arguments.isEmpty() ? SecretUsageError : SecretDone;
    }
    const QString action = arguments.first();
    if (action != QLatin1String("set") && action != QLatin1String("delete") &&
        action != QLatin1String("check")) {
        say(streams.err, prefix + SecretCliText::tr("unknown action '%1'\n").arg(action) +
                             SecretCliText::tr("Try 'certdash secret --help'.\n"));
        return SecretUsageError;
    }
    if (arguments.size() != 2) {
        say(streams.err, prefix + SecretCliText::tr("%1 takes exactly one NAME (the secret "
                                                    "itself is read from standard input)\n")
                                      .arg(action));
        return SecretUsageError;
    }
    QString error;
    const std::optional<QString> name = canonicalSecretName(arguments.at(1), &error);
    if (!name) {
        say(streams.err, prefix + error + QLatin1Char('\n'));
        return SecretUsageError;
    }

    if (action == QLatin1String("check")) {
        const SecretLookup lookup = store.read(*name);
        switch (lookup.outcome) {
        case SecretLookup::Outcome::Found:
            say(streams.out,
                SecretCliText::tr("the keychain has an entry named \"%1\"\n").arg(*name));
            return SecretDone;
        case SecretLookup::Outcome::NotFound:
            say(streams.out,
                SecretCliText::tr("the keychain has no entry named \"%1\"\n").arg(*name));
            return SecretNoEntry;
        case SecretLookup::Outcome::Unavailable:
            break;
        }
        say(streams.err, prefix + lookup.error + QLatin1Char('\n') + noKeychainHint());
        return SecretNoKeychain;
    }

    if (action == QLatin1String("delete")) {
        const SecretLookup lookup = store.read(*name);
        if (lookup.outcome == SecretLookup::Outcome::Unavailable) {
            say(streams.err, prefix + lookup.error + QLatin1Char('\n'));
            return SecretNoKeychain;
        }
        if (lookup.outcome == SecretLookup::Outcome::NotFound) {
            say(streams.err, prefix + lookup.error + QLatin1Char('\n'));
            return SecretNoEntry;
        }
        const QString failure = store.remove(*name);
        if (!failure.isEmpty()) {
            say(streams.err, prefix + failure + QLatin1Char('\n'));
            return SecretNoKeychain;
        }
        say(streams.err, prefix + SecretCliText::tr("deleted \"%1\"\n").arg(*name));
        return SecretDone;
    }

    // set: the secret comes from standard input only (never the command line).
    QByteArray data;
    {
        EchoOff echoOff;
        if (echoOff.active())
            say(streams.err, SecretCliText::tr("Secret for %1 (not shown): ").arg(*name));
        data = input ? readInput(input, echoOff.active()) : QByteArray();
        if (echoOff.active())
            say(streams.err, QStringLiteral("\n"));
    }
    const std::optional<QString> secret = secretFromInput(data, &error);
    data.fill('\0');
    if (!secret) {
        say(streams.err, prefix + error + QLatin1Char('\n'));
        return SecretUsageError;
    }
    const QString failure = store.write(*name, *secret);
    if (!failure.isEmpty()) {
        say(streams.err, prefix + failure + QLatin1Char('\n') + noKeychainHint());
        return SecretNoKeychain;
    }
    say(streams.err, prefix + SecretCliText::tr("stored \"%1\" in the keychain\n").arg(*name));
    return SecretDone;
}

int runSecret(const QStringList &arguments, const CommandStreams &streams) {
    KeychainSecretStore store;
    QFile standardInput;
    standardInput.open(stdin, QIODevice::ReadOnly | QIODevice::Unbuffered);
    return runSecretWith(arguments, streams, store, &standardInput);
}

} // namespace certdash::cli
