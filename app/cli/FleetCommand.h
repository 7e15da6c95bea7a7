#pragma once

#include "CommandStreams.h"

#include <QStringList>

namespace certdash::cli {

// `certdash fleet config --output DIR [--database DB | --targets FILE] [--exporter HOST:PORT]...
// [--interval DURATION] [--timeout SECONDS]`: blackbox.yml, targets.json, prometheus.yml and
// README.txt for a Prometheus + blackbox_exporter fleet. 0 written, 3 bad usage or input.
int runFleet(const QStringList &arguments, const CommandStreams &streams);

} // namespace certdash::cli
