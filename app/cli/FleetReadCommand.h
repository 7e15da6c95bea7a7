#pragma once

#include "CommandStreams.h"

#include <QStringList>

namespace certdash {
class SecretStore;
}

namespace certdash::cli {

// `certdash fleet read --prometheus URL [--format csv|json|prometheus] [--output F]
// [--database DB] [--ca-file F] [--user U] [--timeout S]`: the fleet's latest results, read
// through Prometheus's HTTP API, as a `certdash scan` report (same columns, statuses,
// thresholds, exit codes 0/1/2). 3: bad usage, or Prometheus could not be read (down, slow,
// refused, an answer that is not Prometheus's) or has no fleet series.
// The token (Bearer) or, with --user, the password (Basic) comes from the keychain entry
// FleetSource::secretKey(), else kFleetSecretVariable; never from the command line.
int runFleetRead(const QStringList &arguments, const CommandStreams &streams);
// The same with a given secret store (tests; null: no keychain).
int runFleetRead(const QStringList &arguments, const CommandStreams &streams, SecretStore *secrets);

} // namespace certdash::cli
