#include "StoredRows.h"

#include "Database.h"

#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <cstring>

#ifdef CERTDASH_SQLITE_DIRECT
#include <sqlite3.h>
#endif

namespace certdash {

namespace {
class QtRows final : public Rows {
public:
    QtRows(const Database &database)
        : m_database(database)
        , m_query(database.connection()) {
        m_query.setForwardOnly(true);
    }
    bool prepare(const char *sql) override { return m_query.prepare(QString::fromLatin1(sql)); }
    void bind(int position, qint64 value) override { m_query.bindValue(position - 1, value); }
    void bind(int position, const QByteArray &text) override {
        m_query.bindValue(position - 1, QString::fromUtf8(text));
    }
    bool exec() override { return m_query.exec(); }
    bool next() override { return m_query.next(); }
    bool failed() const override { return m_query.lastError().isValid(); }
    QString errorMessage() const override { return m_database.describe(m_query.lastError()); }
    bool isNull(int column) const override { return m_query.isNull(column); }
    qint64 integer(int column) const override { return m_query.value(column).toLongLong(); }
    QString text(int column) const override { return m_query.value(column).toString(); }
    QByteArray bytes(int column) const override {
        const QVariant value = m_query.value(column);
        return value.typeId() == QMetaType::QString ? value.toString().toUtf8()
                                                    : value.toByteArray();
    }
    bool direct() const override { return false; }
    QByteArrayView view(int column) override {
        m_scratch = bytes(column);
        return m_scratch;
    }

private:
    const Database &m_database;
    QSqlQuery m_query;
    QByteArray m_scratch;
};

#ifdef CERTDASH_SQLITE_DIRECT
class SqliteRows final : public Rows {
public:
    SqliteRows(const Database &database, sqlite3 *handle)
        : m_database(database)
        , m_handle(handle) {}
    ~SqliteRows() override { sqlite3_finalize(m_statement); }
    bool prepare(const char *sql) override {
        sqlite3_finalize(m_statement);
        m_statement = nullptr;
        m_result = sqlite3_prepare_v2(m_handle, sql, -1, &m_statement, nullptr);
        return m_result == SQLITE_OK;
    }
    void bind(int position, qint64 value) override {
        sqlite3_bind_int64(m_statement, position, value);
    }
    void bind(int position, const QByteArray &text) override {
        sqlite3_bind_text(m_statement, position, text.constData(), int(text.size()),
                          SQLITE_TRANSIENT);
    }
    bool exec() override {
        m_result = SQLITE_OK;
        return sqlite3_reset(m_statement) == SQLITE_OK;
    }
    bool next() override {
        m_result = sqlite3_step(m_statement);
        return m_result == SQLITE_ROW;
    }
    bool failed() const override {
        return m_result != SQLITE_OK && m_result != SQLITE_ROW && m_result != SQLITE_DONE;
    }
    QString errorMessage() const override {
        return m_database.describe(QSqlError(QString(), QString::fromUtf8(sqlite3_errmsg(m_handle)),
                                             QSqlError::StatementError));
    }
    bool isNull(int column) const override {
        return sqlite3_column_type(m_statement, column) == SQLITE_NULL;
    }
    qint64 integer(int column) const override { return sqlite3_column_int64(m_statement, column); }
    QString text(int column) const override {
        const auto *data = reinterpret_cast<const char *>(sqlite3_column_text(m_statement, column));
        return QString::fromUtf8(data, sqlite3_column_bytes(m_statement, column));
    }
    QByteArray bytes(int column) const override {
        const auto *data = static_cast<const char *>(sqlite3_column_blob(m_statement, column));
        return QByteArray(data, sqlite3_column_bytes(m_statement, column));
    }
    bool direct() const override { return true; }
    QByteArrayView view(int column) override {
        const auto *data = static_cast<const char *>(sqlite3_column_blob(m_statement, column));
        return QByteArrayView(data, sqlite3_column_bytes(m_statement, column));
    }

private:
    const Database &m_database;
    sqlite3 *m_handle = nullptr;
    sqlite3_stmt *m_statement = nullptr;
    int m_result = SQLITE_OK;
};

// The QtSql connection's sqlite3* is only usable here when the driver was built against this
// same library: the version and source id (a hash of the SQLite sources) must match.
sqlite3 *directHandle(const Database &database) {
    QSqlDatabase db = database.connection();
    const QVariant handle = db.driver() ? db.driver()->handle() : QVariant();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return nullptr;
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT sqlite_version(), sqlite_source_id()")) || !q.next())
        return nullptr;
    if (q.value(0).toString() != QLatin1String(sqlite3_libversion()) ||
        q.value(1).toString() != QLatin1String(sqlite3_sourceid()))
        return nullptr;
    return *static_cast<sqlite3 *const *>(handle.constData());
}
#endif

} // namespace

std::unique_ptr<Rows> openRows(const Database &database) {
#ifdef CERTDASH_SQLITE_DIRECT
    static const bool direct = qEnvironmentVariableIsEmpty("CERTDASH_STORE_QTSQL_ONLY");
    if (direct) {
        if (sqlite3 *handle = directHandle(database))
            return std::make_unique<SqliteRows>(database, handle);
    }
#endif
    return std::make_unique<QtRows>(database);
}

} // namespace certdash
