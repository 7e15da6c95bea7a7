#pragma once

#include "cli/DocumentFormat.h"

namespace certdash {

// `certdash report --format html|pdf`: the evidence report, registered with the command line by
// the composition root (ui/main.cpp), since the core cannot render it. Runs with a
// QApplication on any platform plugin (main() picks offscreen: no display needed).
cli::Extensions evidenceCommandExtensions();

} // namespace certdash
