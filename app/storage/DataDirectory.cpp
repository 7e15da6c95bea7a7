#include "DataDirectory.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

namespace certdash {

namespace {
const QString kStore = QStringLiteral("certdash.sqlite");

QString currentDirectory() {
    QString name = QCoreApplication::applicationName();
    if (name.isEmpty())
        name = QStringLiteral("CertDash");
    return QDir(QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation))
        .filePath(name);
}

// Qt's AppDataLocation: <data>/<organisation>/<application>, the same as the current folder when
// no organisation is set.
QString legacyDirectory() {
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

bool hasStore(const QString &dir) {
    return QFileInfo::exists(QDir(dir).filePath(kStore));
}
} // namespace

QString dataDirectory() {
    const QString current = currentDirectory();
    const QString legacy = legacyDirectory();
    if (QDir::cleanPath(legacy) != QDir::cleanPath(current) && !hasStore(current) &&
        hasStore(legacy))
        return legacy;
    return current;
}

LegacyMove moveLegacyDataDirectory() {
    LegacyMove move;
    const QString current = currentDirectory();
    const QString legacy = legacyDirectory();
    move.from = legacy;
    if (QDir::cleanPath(legacy) == QDir::cleanPath(current) || hasStore(current) ||
        !hasStore(legacy))
        return move;
    const QDir from(legacy);
    if (QFileInfo::exists(from.filePath(kStore + QStringLiteral("-shm")))) {
        move.result = LegacyMove::Result::InUse;
        return move;
    }
    if (!QDir().mkpath(current)) {
        move.result = LegacyMove::Result::Failed;
        move.detail = QCoreApplication::translate("certdash::Database", "cannot create %1")
                          .arg(QDir::toNativeSeparators(current));
        return move;
    }
    // The journal before the store: a store that arrives without its journal would lose the
    // last committed transactions, a journal without its store is ignored by SQLite.
    const QStringList files{kStore + QStringLiteral("-wal"), kStore, QStringLiteral("events.jsonl")};
    for (const QString &file : files) {
        if (!QFileInfo::exists(from.filePath(file)))
            continue;
        const QString target = QDir(current).filePath(file);
        if (QFileInfo::exists(target) || !QFile::rename(from.filePath(file), target)) {
            move.result = LegacyMove::Result::Failed;
            move.detail = QCoreApplication::translate("certdash::Database", "cannot move %1 to %2")
                              .arg(QDir::toNativeSeparators(from.filePath(file)),
                                   QDir::toNativeSeparators(target));
            return move;
        }
    }
    QDir().rmdir(legacy); // only when empty: anything else the user put there stays
    move.result = LegacyMove::Result::Moved;
    return move;
}

} // namespace certdash
