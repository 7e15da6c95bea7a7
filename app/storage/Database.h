#pragma once

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QString>

#include <memory>

namespace certdash {

// The embedded SQLite store (QtSql, QSQLITE): one connection, owned by one thread. Opening
// checks that the file is a CertDash database of a schema this build knows BEFORE writing
// anything, then migrates forward inside a transaction. WAL journal, foreign keys on, and a
// short busy timeout so that a database locked by another CertDash process gives a clear
// message instead of a hang.
class Database
{
    Q_DECLARE_TR_FUNCTIONS(certdash::Database)

public:
    // 'CDSH' in PRAGMA application_id marks a CertDash database.
    static constexpr int kApplicationId = 0x43445348;
    static constexpr int kBusyTimeoutMs = 2000;

    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    // Opens (creating if needed) and migrates. On failure returns null and a message that names
    // the file: not a CertDash database, written by a newer CertDash, locked, unreadable.
    // Nothing in a refused file is modified.
    static std::unique_ptr<Database> open(const QString &path, QString *error);

    // <dataDirectory()>/certdash.sqlite (~/.local/share/CertDash/certdash.sqlite on Linux).
    static QString defaultPath();

    // The schema version this build writes; PRAGMA user_version of an open database.
    static int currentSchemaVersion();
    int schemaVersion() const;

    QString path() const { return m_path; }
    QSqlDatabase connection() const;

    // Runs fn inside BEGIN IMMEDIATE ... COMMIT; rolls back when fn returns false or a statement
    // fails. Returns fn's verdict; error gets the first failure's message.
    template<class Fn>
    bool inTransaction(Fn &&fn, QString *error = nullptr)
    {
        if (!begin(error))
            return false;
        if (!fn()) {
            rollback();
            return false;
        }
        return commit(error);
    }
    bool begin(QString *error = nullptr);
    bool commit(QString *error = nullptr);
    void rollback();

    // Runs one statement (no results expected). Returns false with a message naming the file.
    bool exec(const QString &sql, QString *error = nullptr);

    // A message for a failed query on this database: "FILE: what SQLite said", with "locked"
    // turned into a sentence a user can act on.
    QString describe(const class QSqlError &error) const;

private:
    Database() = default;
    QString m_path;
    QString m_connectionName;
};

} // namespace certdash
