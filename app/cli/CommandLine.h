#pragma once

#include "DocumentFormat.h"

#include <QStringList>

namespace certdash::cli {

// True when argv asks for a subcommand, --help or --version: these never need a display.
bool wantsCommandLine(int argc, char **argv);

// Runs `certdash <subcommand> ...` (arguments as QCoreApplication::arguments() gives them) and
// returns the process exit code. Needs a QCoreApplication (a QGuiApplication when
// needsGuiApplication() says so); spins its own event loop. extensions are what the composition
// root links beyond the core (the evidence report's formats).
int run(const QStringList &arguments, const Extensions &extensions = {});

} // namespace certdash::cli
