#pragma once

#include "domain/ProbeResult.h"

#include <QByteArray>
#include <QList>
#include <QString>

// The fleet rows file (see FleetFeedCache.cpp for why a file). Keeps what the table shows of a
// fleet row (target labels, status, expiry, leaf, trust in words, probe time), never a secret.
namespace certdash::fleetcache {

QByteArray encode(const QList<ProbeResult> &rows);
QList<ProbeResult> decode(const QByteArray &bytes, QString *error = nullptr);
// Atomic replace; "" on success, else why.
QString write(const QString &path, const QList<ProbeResult> &rows);
// No file: no rows and no error.
QList<ProbeResult> read(const QString &path, QString *error = nullptr);

} // namespace certdash::fleetcache
