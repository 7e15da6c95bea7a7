#pragma once

#include <QStringList>

namespace certdash::schema {

// The SQL that takes a database from version `from` to `from + 1`. Version 0 is an empty file.
// A fresh database runs every step, so upgrades are exercised by every test that opens a store.
QStringList migrationTo(int version);
int latestVersion();

} // namespace certdash::schema
