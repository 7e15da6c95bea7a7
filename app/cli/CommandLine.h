#pragma once

#include <QStringList>

namespace certdash::cli {

// True when argv asks for a subcommand, --help or --version: these never need a display.
bool wantsCommandLine(int argc, char **argv);

// Runs `certdash <subcommand> ...` (arguments as QCoreApplication::arguments() gives them) and
// returns the process exit code. Needs a QCoreApplication; spins its own event loop.
int run(const QStringList &arguments);

} // namespace certdash::cli
