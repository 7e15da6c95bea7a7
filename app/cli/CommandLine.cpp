#include "CommandLine.h"

#include "CsrCommand.h"
#include "FleetCommand.h"
#include "InventoryCommands.h"
#include "ReportCommand.h"
#include "ScanCommand.h"
#include "SecretCommands.h"

#include "storage/Database.h"

#include <QCoreApplication>
#include <QFile>
#include <QTextStream>

#include <cstdio>

#include <unistd.h>

namespace certdash::cli {

namespace {
struct CliText
{
    Q_DECLARE_TR_FUNCTIONS(certdash::cli)
};

QString usage()
{
    return CliText::tr("Usage: certdash [COMMAND] [OPTIONS]\n"
              "\n"
              "Without a command, CertDash opens the dashboard window.\n"
              "\n"
              "Commands (each has --help):\n"
              "  scan      probe targets (a file, or the stored inventory) and report them\n"
              "  report    the latest stored result of every target address\n"
              "  import    add targets to the stored inventory\n"
              "  export    write the stored inventory (CSV or JSON)\n"
              "  targets   list the stored inventory\n"
              "  secret    store, check or delete a secret in the OS keychain\n"
              "  csr       a new key and CSR to renew a target's stored certificate\n"
              "  fleet     Prometheus + blackbox_exporter: configure the fleet, read its results\n"
              "\n"
              "Options:\n"
              "  --database FILE  the CertDash database (GUI and every command; default:\n"
              "                   %1)\n"
              "  -h, --help       show this help\n"
              "  -v, --version    show the version\n")
        .arg(Database::defaultPath());
}
} // namespace

namespace {
// `certdash --database F scan ...` means `certdash scan --database F ...`: the global option may
// come before the command.
QStringList commandFirst(const QStringList &arguments)
{
    QStringList leading;
    int i = 1;
    while (i < arguments.size()) {
        const QString &a = arguments.at(i);
        if (a == QLatin1String("--database") && i + 1 < arguments.size()) {
            leading << a << arguments.at(i + 1);
            i += 2;
        } else if (a.startsWith(QLatin1String("--database="))) {
            leading << a;
            ++i;
        } else {
            break;
        }
    }
    if (i >= arguments.size())
        return arguments;
    QStringList reordered{arguments.first(), arguments.at(i)};
    return reordered + leading + arguments.mid(i + 1);
}
} // namespace

bool wantsCommandLine(int argc, char **argv)
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    arguments = commandFirst(arguments);
    if (arguments.size() < 2)
        return false;
    const QString first = arguments.at(1);
    if (!first.startsWith(QLatin1Char('-')))
        return true;
    return first == QLatin1String("-h") || first == QLatin1String("--help")
        || first == QLatin1String("-v") || first == QLatin1String("--version");
}

int run(const QStringList &originalArguments)
{
    const QStringList arguments = commandFirst(originalArguments);
    QTextStream out(stdout);
    QTextStream err(stderr);
    const QString command = arguments.value(1);
    if (command == QLatin1String("-h") || command == QLatin1String("--help")
        || command == QLatin1String("help")) {
        out << usage();
        return 0;
    }
    if (command == QLatin1String("-v") || command == QLatin1String("--version")) {
        out << QCoreApplication::applicationName() << ' ' << QCoreApplication::applicationVersion()
            << '\n';
        return 0;
    }
    using Command = int (*)(const QStringList &, const CommandStreams &);
    static const QList<QPair<QString, Command>> commands{
        {QStringLiteral("scan"), &runScan},       {QStringLiteral("report"), &runReport},
        {QStringLiteral("import"), &runImport},   {QStringLiteral("export"), &runExport},
        {QStringLiteral("targets"), &runTargets}, {QStringLiteral("secret"), &runSecret},
        {QStringLiteral("csr"), &runCsr},         {QStringLiteral("fleet"), &runFleet},
    };
    for (const auto &[name, runCommand] : commands) {
        if (command != name)
            continue;
        QFile stdoutFile;
        QFile stderrFile;
        stdoutFile.open(stdout, QIODevice::WriteOnly | QIODevice::Unbuffered);
        stderrFile.open(stderr, QIODevice::WriteOnly | QIODevice::Unbuffered);
        CommandStreams streams;
        streams.out = &stdoutFile;
        streams.err = &stderrFile;
        streams.errIsTerminal = ::isatty(STDERR_FILENO) == 1;
        return runCommand(arguments.mid(2), streams);
    }
    err << CliText::tr("certdash: unknown command '%1'").arg(command) << '\n' << usage();
    return 3;
}

} // namespace certdash::cli
