#include "InventoryCommands.h"

#include "inventory/InventoryExport.h"
#include "inventory/TargetParser.h"
#include "storage/Database.h"
#include "storage/TargetRepository.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSet>

namespace certdash::cli {

namespace {
struct InventoryText
{
    Q_DECLARE_TR_FUNCTIONS(certdash::cli::Inventory)
};

QCommandLineOption helpOption()
{
    return QCommandLineOption(QStringList{QStringLiteral("h"), QStringLiteral("help")},
                              InventoryText::tr("Show this help."));
}

// Parses; on --help prints usage and sets *exitCode = 0, on an error says it and sets 3.
bool parse(QCommandLineParser &parser, const QString &command, const QStringList &arguments,
           const CommandStreams &streams, int *exitCode)
{
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help = helpOption();
    parser.addOption(help);
    if (!parser.parse(QStringList{QStringLiteral("certdash ") + command} + arguments)) {
        say(streams.err, QStringLiteral("certdash %1: %2\n").arg(command, parser.errorText())
                             + InventoryText::tr("Try 'certdash %1 --help'.\n").arg(command));
        *exitCode = 3;
        return false;
    }
    if (parser.isSet(help)) {
        say(streams.out, commandHelp(parser, command));
        *exitCode = 0;
        return false;
    }
    return true;
}
} // namespace

int runImport(const QStringList &arguments, const CommandStreams &streams)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        InventoryText::tr("Add targets to the stored inventory: a line-format, CSV, JSON or "
                          "`kubectl get ingress -A -o json` file, or - for standard input. "
                          "With EndpointSlices as well (`kubectl get "
                          "ingress,services,endpointslices,pods -A -o json`, or those outputs as "
                          "separate files), every ready pod behind an ingress TLS host is a "
                          "target of its own. "
                          "Endpoints already stored are updated with what the files give. "
                          "The import is one transaction: by default an input with any rejected "
                          "entry imports nothing."));
    parser.addPositionalArgument(QStringLiteral("FILE"),
                                 InventoryText::tr("The targets files (kubectl outputs among them "
                                                   "are read as one cluster)."),
                                 QStringLiteral("FILE..."));
    const QCommandLineOption skipInvalid(
        QStringLiteral("skip-invalid"),
        InventoryText::tr("Import the valid entries even when others are rejected."));
    const QCommandLineOption inputFormat(
        QStringLiteral("input-format"),
        InventoryText::tr("auto (default), %1.").arg(targetFormatKeys().mid(1).join(u", ")),
        InventoryText::tr("FORMAT"), QStringLiteral("auto"));
    const QCommandLineOption database = databaseOption();
    parser.addOptions({skipInvalid, inputFormat, database});
    int exitCode = 0;
    if (!parse(parser, QStringLiteral("import"), arguments, streams, &exitCode))
        return exitCode;
    if (parser.positionalArguments().isEmpty()) {
        say(streams.err, InventoryText::tr("certdash import: expected at least one FILE\n"));
        return 3;
    }
    const auto format = targetFormatFromKey(parser.value(inputFormat));
    if (!format) {
        say(streams.err, InventoryText::tr("certdash import: --input-format: unknown format '%1'\n")
                             .arg(parser.value(inputFormat)));
        return 3;
    }
    const QStringList files = parser.positionalArguments();
    const QString file = files.join(QStringLiteral(", "));
    const ParsedTargets parsed = readTargetsFiles(files, *format);
    for (const QString &message : parsed.messages())
        say(streams.err, message + QLatin1Char('\n'));
    if (!parsed.formatNote.isEmpty())
        say(streams.err, InventoryText::tr("certdash import: --input-format chooses the format.\n"));
    if (!parsed.ok() && !parser.isSet(skipInvalid)) {
        say(streams.err, InventoryText::tr("certdash import: problems in %1; nothing was imported "
                                           "(--skip-invalid imports the valid entries).\n")
                             .arg(file));
        return 3;
    }
    if (!parsed.ok() && parsed.targets.isEmpty()) {
        say(streams.err, InventoryText::tr("certdash import: nothing in %1 can be imported.\n")
                             .arg(file));
        return 3;
    }

    auto store = openStore(parser.value(database), QStringLiteral("import"), streams);
    if (!store)
        return 3;
    TargetRepository repository(*store, *streams.clock);
    QString error;
    const auto summary = repository.importTargets(parsed.targets, &error);
    if (!summary) {
        say(streams.err, InventoryText::tr("certdash import: nothing was imported: %1\n").arg(error));
        return 3;
    }
    say(streams.err, InventoryText::tr("certdash import: %1: %2 added, %3 updated, %4 unchanged, "
                                       "%5 duplicates merged, %6 rejected\n")
                         .arg(file)
                         .arg(summary->added)
                         .arg(summary->updated)
                         .arg(summary->unchanged)
                         .arg(summary->duplicatesInInput + parsed.duplicatesMerged)
                         .arg(parsed.rejected)); // an entry with three problems is one
    return 0;
}

int runExport(const QStringList &arguments, const CommandStreams &streams)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        InventoryText::tr("Write the stored inventory; 'certdash import' reads it back."));
    const QCommandLineOption format(QStringList{QStringLiteral("f"), QStringLiteral("format")},
                                    InventoryText::tr("csv (default) or json."),
                                    InventoryText::tr("FORMAT"), QStringLiteral("csv"));
    const QCommandLineOption output(QStringList{QStringLiteral("o"), QStringLiteral("output")},
                                    InventoryText::tr("Write to FILE (atomically) instead of "
                                                      "standard output."),
                                    InventoryText::tr("FILE"));
    const QCommandLineOption database = databaseOption();
    parser.addOptions({format, output, database});
    int exitCode = 0;
    if (!parse(parser, QStringLiteral("export"), arguments, streams, &exitCode))
        return exitCode;
    const QString formatName = parser.value(format).toLower();
    if (formatName != QLatin1String("csv") && formatName != QLatin1String("json")) {
        say(streams.err,
            InventoryText::tr("certdash export: --format: expected csv or json, got '%1'\n")
                .arg(parser.value(format)));
        return 3;
    }
    auto store = openStore(parser.value(database), QStringLiteral("export"), streams);
    if (!store)
        return 3;
    QString error;
    const QList<Target> targets = TargetRepository(*store, *streams.clock).all(&error);
    if (!error.isEmpty()) {
        say(streams.err, QStringLiteral("certdash export: %1\n").arg(error));
        return 3;
    }
    const QByteArray data = formatName == QLatin1String("json") ? inventoryToJson(targets)
                                                                : inventoryToCsv(targets);
    return writeOutput(data, parser.value(output), QStringLiteral("export"), streams) ? 0 : 3;
}

int runTargets(const QStringList &arguments, const CommandStreams &streams)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(InventoryText::tr("List the stored inventory."));
    const QCommandLineOption database = databaseOption();
    parser.addOption(database);
    int exitCode = 0;
    if (!parse(parser, QStringLiteral("targets"), arguments, streams, &exitCode))
        return exitCode;
    auto store = openStore(parser.value(database), QStringLiteral("targets"), streams);
    if (!store)
        return 3;
    QString error;
    const QList<Target> targets = TargetRepository(*store, *streams.clock).all(&error);
    if (!error.isEmpty()) {
        say(streams.err, QStringLiteral("certdash targets: %1\n").arg(error));
        return 3;
    }
    say(streams.out, inventoryTable(targets));
    if (targets.isEmpty())
        say(streams.err, InventoryText::tr("certdash targets: the inventory in %1 is empty; add "
                                           "targets with 'certdash import FILE'.\n")
                             .arg(store->path()));
    return 0;
}

} // namespace certdash::cli
