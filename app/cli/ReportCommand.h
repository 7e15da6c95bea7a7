#pragma once

#include "CommandStreams.h"
#include "DocumentFormat.h"

#include <QStringList>

namespace certdash::cli {

// `certdash report [--format csv|json|prometheus] [--output F]`: the latest result of every
// stored target address, with the same columns as `certdash scan`, and the same exit codes.
int runReport(const QStringList &arguments, const CommandStreams &streams);
// The same with the document formats the binary registers (html, pdf: the evidence report,
// rendered in ui/), which also take `--since DATE|DURATION` (default 7 days before now).
int runReport(const QStringList &arguments, const CommandStreams &streams,
              const QList<DocumentFormat> &documents);

} // namespace certdash::cli
