#pragma once

#include "domain/Clock.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QIODevice>
#include <QString>

#include <memory>

namespace certdash {
class Database;
}

namespace certdash::cli {

// Where a command reads and writes: the real process streams in main(), buffers in tests.
struct CommandStreams
{
    QIODevice *out = nullptr; // the report when there is no --output
    QIODevice *err = nullptr; // messages, progress and the summary
    bool errIsTerminal = false; // progress is only drawn on a terminal
    std::shared_ptr<const Clock> clock = std::make_shared<SystemClock>();
};

void say(QIODevice *device, const QString &text);

// The parser's --help text with "certdash COMMAND" as the program: QCommandLineParser names the
// executable as it was started (a full path from cron or a build tree) and knows no subcommand.
QString commandHelp(const QCommandLineParser &parser, const QString &command);

// `--database FILE`, shared by every subcommand (the GUI reads it too).
QCommandLineOption databaseOption();

// Opens the store at path (empty: the default in the user's data directory). On failure says why
// on err, prefixed with the command name, and returns null.
std::unique_ptr<Database> openStore(const QString &path, const QString &command,
                                    const CommandStreams &streams);

// Writes data to outputPath atomically, or to streams.out when outputPath is empty. False (with
// a message) when the file cannot be written.
bool writeOutput(const QByteArray &data, const QString &outputPath, const QString &command,
                 const CommandStreams &streams);

} // namespace certdash::cli
