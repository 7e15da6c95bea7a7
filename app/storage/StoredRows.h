#pragma once

// Internal to app/storage: fast read-only row access for HistoryRepository::latest().

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <memory>

namespace certdash {

class Database;

// Read-only row access for latest(). QtSql's SQLite driver converts every column of every row
// into a QVariant (and text into UTF-16 inside SQLite) before the caller asks for anything: for
// 100,000 target addresses that alone took 0.3 s of the 0.5 s budget, against 15 ms for SQLite
// to produce the rows. So where the QtSql connection runs on the very SQLite library CertDash
// links (Debian: both use the system libsqlite3), the same connection is read through the C
// API; anywhere else the QtSql path gives the same results, slower.
class Rows {
public:
    virtual ~Rows() = default;
    virtual bool prepare(const char *sql) = 0;
    virtual void bind(int position, qint64 value) = 0; // 1-based, as in SQL
    virtual void bind(int position, const QByteArray &text) = 0;
    virtual bool exec() = 0;
    virtual bool next() = 0;
    virtual bool failed() const = 0;
    virtual QString errorMessage() const = 0;
    virtual bool isNull(int column) const = 0;
    virtual qint64 integer(int column) const = 0;
    virtual QString text(int column) const = 0;
    virtual QByteArray bytes(int column) const = 0; // a blob, or text as UTF-8
    // The same without a copy, valid until next().
    virtual QByteArrayView view(int column) = 0;
    virtual bool direct() const = 0;
};

// The fastest reader available for this connection: the SQLite C API on the QtSql connection's
// own handle when the driver runs on the very SQLite library CertDash links, QtSql otherwise.
std::unique_ptr<Rows> openRows(const Database &database);

} // namespace certdash
