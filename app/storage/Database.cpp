#include "Database.h"
#include "DataDirectory.h"

#include "Schema.h"

#include <QAtomicInt>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>

Q_LOGGING_CATEGORY(lcStorage, "certdash.storage", QtWarningMsg)

namespace certdash {

namespace {
QAtomicInt g_connectionCounter;

std::optional<qint64> pragma(QSqlDatabase &db, const char *name)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("PRAGMA %1").arg(QLatin1String(name))) || !q.next())
        return std::nullopt;
    return q.value(0).toLongLong();
}
} // namespace

Database::~Database()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

QString Database::defaultPath()
{
    return QDir(dataDirectory()).filePath(QStringLiteral("certdash.sqlite"));
}

int Database::currentSchemaVersion()
{
    return schema::latestVersion();
}

QSqlDatabase Database::connection() const
{
    return QSqlDatabase::database(m_connectionName, false);
}

int Database::schemaVersion() const
{
    QSqlDatabase db = connection();
    return int(pragma(db, "user_version").value_or(-1));
}

QString Database::describe(const QSqlError &error) const
{
    const QString text = error.databaseText().isEmpty() ? error.text() : error.databaseText();
    if (text.contains(QLatin1String("locked")) || text.contains(QLatin1String("busy")))
        return tr("%1 is locked by another CertDash process (gave up after %2 s); try again when "
                  "it has finished")
            .arg(QDir::toNativeSeparators(m_path))
            .arg(kBusyTimeoutMs / 1000);
    return QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(m_path), text);
}

bool Database::exec(const QString &sql, QString *error)
{
    QSqlQuery q(connection());
    if (q.exec(sql))
        return true;
    if (error)
        *error = describe(q.lastError());
    qCWarning(lcStorage) << "statement failed:" << q.lastError().text() << sql.left(120);
    return false;
}

bool Database::begin(QString *error)
{
    // IMMEDIATE takes the write lock now, so a busy database fails here, before any work.
    return exec(QStringLiteral("BEGIN IMMEDIATE"), error);
}

bool Database::commit(QString *error)
{
    if (exec(QStringLiteral("COMMIT"), error))
        return true;
    rollback();
    return false;
}

void Database::rollback()
{
    QSqlQuery q(connection());
    q.exec(QStringLiteral("ROLLBACK"));
}

std::unique_ptr<Database> Database::open(const QString &path, QString *error)
{
    const auto fail = [&](const QString &message) {
        if (error)
            *error = message;
        return std::unique_ptr<Database>();
    };
    const QString shown = QDir::toNativeSeparators(path);

    // Only SQLite ever opens the file. Opening and closing a descriptor of it here (to peek at
    // its header, say) would drop every POSIX lock this process holds on it (SQLite: "How To
    // Corrupt An SQLite Database File", 2.2): another process closing its connection would then
    // think itself the last user and delete the -wal and -shm files under this process's live
    // connections. A stat() opens nothing, so a directory is refused here; what the file holds
    // is asked of SQLite, read-only, below.
    QFileInfo info(path);
    if (info.isDir())
        return fail(tr("%1 is a directory, not a CertDash database").arg(shown));
    if (!info.exists() && !QDir().mkpath(info.absolutePath()))
        return fail(tr("cannot create the folder for %1").arg(shown));

    std::unique_ptr<Database> database(new Database);
    database->m_path = info.absoluteFilePath();
    database->m_connectionName =
        QStringLiteral("certdash-%1").arg(g_connectionCounter.fetchAndAddRelaxed(1));
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), database->m_connectionName);
    db.setDatabaseName(database->m_path);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(kBusyTimeoutMs));
    if (!db.open())
        return fail(tr("cannot open %1: %2").arg(shown, db.lastError().text()));

    // Reads first: SQLite writes nothing to a file it cannot parse ("file is not a database")
    // nor to one that is refused below before the first write.
    QSqlQuery tables(db);
    if (!tables.exec(QStringLiteral("SELECT count(*) FROM sqlite_master")) || !tables.next()) {
        if (tables.lastError().nativeErrorCode() == QLatin1String("26")) // SQLITE_NOTADB
            return fail(tr("%1 is not a CertDash database (not an SQLite file); it was left "
                           "untouched")
                            .arg(shown));
        return fail(tr("%1 cannot be read as a database: %2")
                        .arg(shown, database->describe(tables.lastError())));
    }
    const auto applicationId = pragma(db, "application_id");
    const auto version = pragma(db, "user_version");
    if (!applicationId || !version)
        return fail(tr("%1 cannot be read as a database").arg(shown));
    const bool empty = tables.value(0).toInt() == 0 && *version == 0;
    // A live SELECT keeps a read transaction open, and journal_mode cannot change inside one.
    tables.finish();
    if (!empty && *applicationId != kApplicationId)
        return fail(tr("%1 is an SQLite database of another application, not CertDash; it was "
                       "left untouched")
                        .arg(shown));
    if (*version > currentSchemaVersion())
        return fail(tr("%1 was written by a newer CertDash (schema version %2; this version "
                       "knows up to %3); it was left untouched")
                        .arg(shown)
                        .arg(*version)
                        .arg(currentSchemaVersion()));

    QString message;
    // WAL: readers (the dashboard) never block the writer (a scan), and a killed process leaves
    // a database that recovers on the next open. NORMAL sync is safe with WAL against crashes.
    if (!database->exec(QStringLiteral("PRAGMA journal_mode=WAL"), &message)
        || !database->exec(QStringLiteral("PRAGMA synchronous=NORMAL"), &message)
        || !database->exec(QStringLiteral("PRAGMA foreign_keys=ON"), &message))
        return fail(message);

    if (*version < currentSchemaVersion()) {
        const bool migrated = database->inTransaction(
            [&] {
                for (int v = int(*version) + 1; v <= currentSchemaVersion(); ++v) {
                    for (const QString &statement : schema::migrationTo(v)) {
                        if (!database->exec(statement, &message))
                            return false;
                    }
                }
                return database->exec(QStringLiteral("PRAGMA user_version=%1")
                                          .arg(currentSchemaVersion()),
                                      &message)
                    && database->exec(QStringLiteral("PRAGMA application_id=%1").arg(kApplicationId),
                                      &message);
            },
            &message);
        if (!migrated)
            return fail(tr("cannot prepare %1: %2").arg(shown, message));
        qCInfo(lcStorage) << "migrated" << shown << "from schema" << *version << "to"
                          << currentSchemaVersion();
    }
    return database;
}

} // namespace certdash
