#pragma once

#include "CommandStreams.h"

#include <QStringList>

namespace certdash::cli {

// `certdash import FILE [--skip-invalid] [--input-format F]`: adds targets to the stored
// inventory in one transaction. By default a file with any rejected entry imports nothing.
int runImport(const QStringList &arguments, const CommandStreams &streams);

// `certdash export [--format csv|json] [--output F]`: the stored inventory, in a form `import`
// reads back to the same inventory.
int runExport(const QStringList &arguments, const CommandStreams &streams);

// `certdash targets`: the stored inventory as a table.
int runTargets(const QStringList &arguments, const CommandStreams &streams);

} // namespace certdash::cli
