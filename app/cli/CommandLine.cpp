#include "CommandLine.h"

#include "ScanCommand.h"

#include <QCoreApplication>
#include <QFile>
#include <QTextStream>

#include <cstdio>
#include <cstring>

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
              "Commands:\n"
              "  scan      probe targets and report their certificates (certdash scan --help)\n"
              "\n"
              "Options:\n"
              "  -h, --help     show this help\n"
              "  -v, --version  show the version\n");
}
} // namespace

bool wantsCommandLine(int argc, char **argv)
{
    if (argc < 2)
        return false;
    const char *first = argv[1];
    if (first[0] != '-')
        return true;
    for (const char *flag : {"-h", "--help", "-v", "--version"}) {
        if (std::strcmp(first, flag) == 0)
            return true;
    }
    return false;
}

int run(const QStringList &arguments)
{
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
    if (command == QLatin1String("scan")) {
        QFile stdoutFile;
        QFile stderrFile;
        stdoutFile.open(stdout, QIODevice::WriteOnly | QIODevice::Unbuffered);
        stderrFile.open(stderr, QIODevice::WriteOnly | QIODevice::Unbuffered);
        CommandStreams streams;
        streams.out = &stdoutFile;
        streams.err = &stderrFile;
        streams.errIsTerminal = ::isatty(STDERR_FILENO) == 1;
        return runScan(arguments.mid(2), streams);
    }
    err << CliText::tr("certdash: unknown command '%1'").arg(command) << '\n' << usage();
    return 3;
}

} // namespace certdash::cli
