#pragma once

#include "CommandStreams.h"

#include <QStringList>

namespace certdash::cli {

// `certdash report [--format csv|json|prometheus] [--output F]`: the latest result of every
// stored target address, with the same columns as `certdash scan`, and the same exit codes.
int runReport(const QStringList &arguments, const CommandStreams &streams);

} // namespace certdash::cli
