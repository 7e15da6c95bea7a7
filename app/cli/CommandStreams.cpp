#include "CommandStreams.h"

#include "reports/Report.h"
#include "storage/Database.h"

#include <QCoreApplication>

namespace certdash::cli {

namespace {
struct StreamsText
{
    Q_DECLARE_TR_FUNCTIONS(certdash::cli)
};
} // namespace

void say(QIODevice *device, const QString &text)
{
    if (device)
        device->write(text.toUtf8());
}

QString commandHelp(const QCommandLineParser &parser, const QString &command)
{
    QString text = parser.helpText();
    const QStringList arguments = QCoreApplication::arguments();
    const QString program = arguments.isEmpty() ? QString() : arguments.constFirst();
    const qsizetype lineEnd = text.indexOf(QLatin1Char('\n'));
    const qsizetype at = program.isEmpty() ? -1 : text.indexOf(program);
    if (at >= 0 && (lineEnd < 0 || at < lineEnd))
        text.replace(at, program.size(), QStringLiteral("certdash ") + command);
    return text;
}

QCommandLineOption databaseOption()
{
    return QCommandLineOption(
        QStringLiteral("database"),
        StreamsText::tr("The CertDash database to use (default: %1).").arg(Database::defaultPath()),
        StreamsText::tr("FILE"));
}

std::unique_ptr<Database> openStore(const QString &path, const QString &command,
                                    const CommandStreams &streams)
{
    QString error;
    auto database = Database::open(path.isEmpty() ? Database::defaultPath() : path, &error);
    if (!database)
        say(streams.err, QStringLiteral("certdash %1: %2\n").arg(command, error));
    return database;
}

bool writeOutput(const QByteArray &data, const QString &outputPath, const QString &command,
                 const CommandStreams &streams)
{
    if (outputPath.isEmpty()) {
        streams.out->write(data);
        return true;
    }
    QString error;
    if (writeFileAtomically(outputPath, data, &error))
        return true;
    say(streams.err, QStringLiteral("certdash %1: %2\n").arg(command, error));
    return false;
}

} // namespace certdash::cli
