#pragma once

#include "domain/Target.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace certdash {

// The inventory in forms `certdash import` reads back to the same targets: CSV with the
// parser's header (name, host, port, sni, no_sni, address, starttls, rotation, warning, critical,
// tags, owner, notes, enabled) and a JSON array of objects with the same keys.
QByteArray inventoryToCsv(const QList<Target> &targets);
QByteArray inventoryToJson(const QList<Target> &targets);

// A fixed-width table for a terminal: id, state, target, address, SNI, STARTTLS, tags, owner,
// thresholds.
QString inventoryTable(const QList<Target> &targets);

} // namespace certdash
