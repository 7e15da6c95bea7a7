#pragma once

#include "TestSupport.h"
#include "cli/CommandStreams.h"

#include <QBuffer>
#include <QStringList>

namespace certdash::test {

// What a CLI command wrote and returned, run in-process with the clock pinned.
struct CommandRun
{
    int exitCode = -1;
    QByteArray out;
    QString err;
};

using CommandFunction = int (*)(const QStringList &, const cli::CommandStreams &);

inline CommandRun runCommand(CommandFunction command, const QStringList &arguments,
                             const QDateTime &now = pinnedNow())
{
    QBuffer out;
    QBuffer err;
    out.open(QIODevice::WriteOnly);
    err.open(QIODevice::WriteOnly);
    cli::CommandStreams streams;
    streams.out = &out;
    streams.err = &err;
    streams.clock = std::make_shared<FixedClock>(now);
    CommandRun run;
    run.exitCode = command(arguments, streams);
    run.out = out.data();
    run.err = QString::fromUtf8(err.data());
    return run;
}

} // namespace certdash::test
