#include "TargetRepository.h"

#include "Database.h"

#include <QDir>
#include <QHash>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace certdash {

namespace {

const QLatin1String kColumns("id, name, host, port, sni, no_sni, addresses, starttls, owner, "
                             "notes, warning_days, critical_days, rotation_days, enabled, "
                             "created_at, updated_at, accept_self_signed, pin_issuer, pin_sha256, "
                             "client_cert, client_key, proxy, check_revocation");

void setError(QString *error, const QString &message) {
    if (error)
        *error = message;
}

// A null QString binds as SQL NULL; the text columns are NOT NULL with '' for "none".
QVariant text(const QString &value) {
    return value.isNull() ? QVariant(QStringLiteral("")) : QVariant(value);
}

QVariant optionalInt(const std::optional<int> &value) {
    return value ? QVariant(*value) : QVariant(QMetaType::fromType<int>());
}

std::optional<int> readOptionalInt(const QVariant &value) {
    if (value.isNull())
        return std::nullopt;
    return value.toInt();
}

// An inherited yes/no (check_revocation): NULL when unset, else 1 or 0.
QVariant optionalBool(const std::optional<bool> &value) {
    return value ? QVariant(int(*value)) : QVariant(QMetaType::fromType<int>());
}

std::optional<bool> readOptionalBool(const QVariant &value) {
    if (value.isNull())
        return std::nullopt;
    return value.toInt() != 0;
}

QDateTime fromSeconds(qint64 seconds) {
    return QDateTime::fromSecsSinceEpoch(seconds, Qt::UTC);
}

QString normaliseAddress(const QString &address) {
    return canonicalAddress(address).value_or(address.trimmed());
}

// Tags are a set: trimmed, no empties, no duplicates, sorted (the order target_tags returns).
QStringList normaliseTags(const QStringList &tags) {
    QStringList out;
    out.reserve(tags.size());
    for (const QString &tag : tags) {
        const QString t = tag.trimmed();
        if (!t.isEmpty())
            out << t;
    }
    out.sort();
    out.removeDuplicates();
    return out;
}

// Binds positional values in order, so that the column lists below read top to bottom.
class Binder {
public:
    explicit Binder(QSqlQuery &query)
        : m_query(query) {}
    Binder &operator<<(const QVariant &value) {
        m_query.bindValue(m_index++, value);
        return *this;
    }

private:
    QSqlQuery &m_query;
    int m_index = 0;
};

// The columns that describe the endpoint and its settings, in the order of the INSERT and
// UPDATE statements below (endpoint_key .. enabled).
void bindFields(Binder &b, const Target &target, const QString &key) {
    QStringList addresses;
    addresses.reserve(target.addresses.size());
    for (const QString &a : target.addresses)
        addresses << normaliseAddress(a);
    b << key << text(target.name) << text(target.host.trimmed()) << int(target.port)
      << text(target.sni.trimmed()) << int(target.noSni) << text(addresses.join(QLatin1Char(' ')))
      << text(startTlsKey(target.startTls)) << text(target.owner) << text(target.notes)
      << optionalInt(target.warningDays) << optionalInt(target.criticalDays)
      << optionalInt(target.rotationDays) << int(target.enabled)
      << int(target.acceptance.acceptSelfSigned) << text(target.acceptance.pinIssuer)
      << text(target.acceptance.pinSha256) << text(target.connection.clientCertificate)
      << text(target.connection.clientKey) << text(target.connection.proxy)
      << optionalBool(target.checkRevocation);
}

const QLatin1String kInsertSql(
    "INSERT INTO targets (endpoint_key, name, host, port, sni, no_sni, addresses, starttls, "
    "owner, notes, warning_days, critical_days, rotation_days, enabled, accept_self_signed, "
    "pin_issuer, pin_sha256, client_cert, client_key, proxy, check_revocation, created_at, "
    "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");

Target readTarget(const QSqlQuery &q) {
    Target t;
    t.id = q.value(0).toLongLong();
    t.name = q.value(1).toString();
    t.host = q.value(2).toString();
    t.port = quint16(q.value(3).toUInt());
    t.sni = q.value(4).toString();
    t.noSni = q.value(5).toInt() != 0;
    t.addresses = q.value(6).toString().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    t.startTls = startTlsFromKey(q.value(7).toString()).value_or(StartTls::None);
    t.owner = q.value(8).toString();
    t.notes = q.value(9).toString();
    t.warningDays = readOptionalInt(q.value(10));
    t.criticalDays = readOptionalInt(q.value(11));
    t.rotationDays = readOptionalInt(q.value(12));
    t.enabled = q.value(13).toInt() != 0;
    t.createdAt = fromSeconds(q.value(14).toLongLong());
    t.updatedAt = fromSeconds(q.value(15).toLongLong());
    t.acceptance.acceptSelfSigned = q.value(16).toInt() != 0;
    t.acceptance.pinIssuer = q.value(17).toString();
    t.acceptance.pinSha256 = q.value(18).toString();
    t.connection.clientCertificate = q.value(19).toString();
    t.connection.clientKey = q.value(20).toString();
    t.connection.proxy = q.value(21).toString();
    t.checkRevocation = readOptionalBool(q.value(22));
    return t;
}

// How a failing target is named in a message: where it came from if known, else its endpoint.
QString whereOf(const Target &target) {
    const QString origin = target.origin.toString();
    return origin.isEmpty() ? target.hostPort() : origin;
}

// What an import may change in a target that is already stored.
struct StoredFields {
    qint64 id = 0;
    QString name;
    QString owner;
    QString notes;
    std::optional<int> warningDays;
    std::optional<int> criticalDays;
    std::optional<int> rotationDays;
    TrustAcceptance acceptance;
    ConnectionSettings connection;
    std::optional<bool> checkRevocation;
    QStringList tags;
};

} // namespace


TargetRepository::TargetRepository(Database &database, const Clock &clock)
    : m_database(database)
    , m_clock(clock) {}

QList<Target> TargetRepository::all(QString *error) const {
    QSqlQuery q(m_database.connection());
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT %1 FROM targets ORDER BY id").arg(kColumns))) {
        setError(error, m_database.describe(q.lastError()));
        return {};
    }
    QList<Target> targets;
    while (q.next())
        targets.append(readTarget(q));

    // Both lists are ordered by target id: one pass merges the tags in.
    QSqlQuery tags(m_database.connection());
    tags.setForwardOnly(true);
    if (!tags.exec(
            QStringLiteral("SELECT target_id, tag FROM target_tags ORDER BY target_id, tag"))) {
        setError(error, m_database.describe(tags.lastError()));
        return {};
    }
    int i = 0;
    while (tags.next()) {
        const qint64 id = tags.value(0).toLongLong();
        while (i < targets.size() && targets.at(i).id < id)
            ++i;
        if (i == targets.size())
            break;
        if (targets.at(i).id == id)
            targets[i].tags << tags.value(1).toString();
    }
    return targets;
}

std::optional<Target> TargetRepository::byId(qint64 id, QString *error) const {
    QSqlQuery q(m_database.connection());
    q.prepare(QStringLiteral("SELECT %1 FROM targets WHERE id = ?").arg(kColumns));
    q.bindValue(0, id);
    if (!q.exec()) {
        setError(error, m_database.describe(q.lastError()));
        return std::nullopt;
    }
    if (!q.next()) {
        setError(error, tr("no target with id %1").arg(id));
        return std::nullopt;
    }
    Target target = readTarget(q);
    QSqlQuery tags(m_database.connection());
    tags.prepare(QStringLiteral("SELECT tag FROM target_tags WHERE target_id = ? ORDER BY tag"));
    tags.bindValue(0, id);
    if (!tags.exec()) {
        setError(error, m_database.describe(tags.lastError()));
        return std::nullopt;
    }
    while (tags.next())
        target.tags << tags.value(0).toString();
    return target;
}

bool TargetRepository::checkUnique(const Target &target, const QString &key, qint64 excludeId,
                                   QString *error) const {
    QSqlQuery q(m_database.connection());
    q.prepare(QStringLiteral("SELECT id, name, host, port FROM targets "
                             "WHERE endpoint_key = ? AND id <> ?"));
    q.bindValue(0, key);
    q.bindValue(1, excludeId);
    if (!q.exec()) {
        setError(error, m_database.describe(q.lastError()));
        return false;
    }
    if (!q.next())
        return true;
    Target existing;
    existing.name = q.value(1).toString();
    existing.host = q.value(2).toString();
    existing.port = quint16(q.value(3).toUInt());
    setError(error, tr("%1 is already in the inventory as %2 (id %3)")
                        .arg(target.hostPort(), existing.label())
                        .arg(q.value(0).toLongLong()));
    return false;
}

namespace {
bool insertTags(Database &database, qint64 id, const QStringList &tags, QString *error) {
    if (tags.isEmpty())
        return true;
    QSqlQuery q(database.connection());
    q.prepare(QStringLiteral("INSERT OR IGNORE INTO target_tags (target_id, tag) VALUES (?, ?)"));
    for (const QString &tag : tags) {
        q.bindValue(0, id);
        q.bindValue(1, tag);
        if (!q.exec()) {
            setError(error, database.describe(q.lastError()));
            return false;
        }
    }
    return true;
}
} // namespace

namespace {
// target_events keeps additions and removals, which survive the target's delete (ChangeFeed).
bool recordEvent(Database &database, qint64 id, const QString &key, const QString &label,
                 const char *event, qint64 at, QString *error) {
    QSqlQuery q(database.connection());
    q.prepare(QStringLiteral("INSERT INTO target_events (target_id, endpoint_key, label, event, "
                             "at) VALUES (?, ?, ?, ?, ?)"));
    q.addBindValue(id);
    q.addBindValue(key);
    q.addBindValue(label);
    q.addBindValue(QString::fromLatin1(event));
    q.addBindValue(at);
    if (!q.exec()) {
        setError(error, database.describe(q.lastError()));
        return false;
    }
    return true;
}
} // namespace

bool TargetRepository::add(Target &target, QString *error) {
    const QString key = endpointKey(target);
    const QStringList tags = normaliseTags(target.tags);
    const qint64 now = m_clock.now().toSecsSinceEpoch();
    qint64 id = 0;
    const bool ok = m_database.inTransaction(
        [&] {
            if (!checkUnique(target, key, 0, error))
                return false;
            QSqlQuery q(m_database.connection());
            q.prepare(kInsertSql);
            Binder b(q);
            bindFields(b, target, key);
            b << now << now;
            if (!q.exec()) {
                setError(error, tr("cannot store %1: %2")
                                    .arg(whereOf(target), m_database.describe(q.lastError())));
                return false;
            }
            id = q.lastInsertId().toLongLong();
            return recordEvent(m_database, id, key, target.label(), "added", now, error) &&
                   insertTags(m_database, id, tags, error);
        },
        error);
    if (!ok)
        return false;
    target.id = id;
    target.tags = tags;
    target.createdAt = fromSeconds(now);
    target.updatedAt = target.createdAt;
    return true;
}

bool TargetRepository::update(const Target &target, QString *error) {
    const QString key = endpointKey(target);
    const qint64 now = m_clock.now().toSecsSinceEpoch();
    return m_database.inTransaction(
        [&] {
            if (!checkUnique(target, key, target.id, error))
                return false;
            QSqlQuery q(m_database.connection());
            q.prepare(QStringLiteral(
                "UPDATE targets SET endpoint_key = ?, name = ?, host = ?, port = ?, sni = ?, "
                "no_sni = ?, addresses = ?, starttls = ?, owner = ?, notes = ?, "
                "warning_days = ?, critical_days = ?, rotation_days = ?, enabled = ?, "
                "accept_self_signed = ?, pin_issuer = ?, pin_sha256 = ?, client_cert = ?, "
                "client_key = ?, proxy = ?, check_revocation = ?, updated_at = ? WHERE id = ?"));
            Binder b(q);
            bindFields(b, target, key);
            b << now << target.id;
            if (!q.exec()) {
                setError(error, tr("cannot store %1: %2")
                                    .arg(whereOf(target), m_database.describe(q.lastError())));
                return false;
            }
            if (q.numRowsAffected() == 0) {
                setError(error, tr("no target with id %1").arg(target.id));
                return false;
            }
            QSqlQuery clear(m_database.connection());
            clear.prepare(QStringLiteral("DELETE FROM target_tags WHERE target_id = ?"));
            clear.bindValue(0, target.id);
            if (!clear.exec()) {
                setError(error, m_database.describe(clear.lastError()));
                return false;
            }
            return insertTags(m_database, target.id, normaliseTags(target.tags), error);
        },
        error);
}

bool TargetRepository::remove(qint64 id, QString *error) {
    const qint64 now = m_clock.now().toSecsSinceEpoch();
    return m_database.inTransaction(
        [&] {
            QSqlQuery find(m_database.connection());
            find.prepare(QStringLiteral(
                "SELECT endpoint_key, name, host, port FROM targets WHERE id = ?"));
            find.bindValue(0, id);
            if (!find.exec()) {
                setError(error, m_database.describe(find.lastError()));
                return false;
            }
            if (!find.next()) {
                setError(error, tr("no target with id %1").arg(id));
                return false;
            }
            Target gone;
            const QString key = find.value(0).toString();
            gone.name = find.value(1).toString();
            gone.host = find.value(2).toString();
            gone.port = quint16(find.value(3).toUInt());
            find.finish();
            QSqlQuery q(m_database.connection());
            q.prepare(QStringLiteral("DELETE FROM targets WHERE id = ?"));
            q.bindValue(0, id);
            if (!q.exec()) {
                setError(error, m_database.describe(q.lastError()));
                return false;
            }
            return recordEvent(m_database, id, key, gone.label(), "removed", now, error);
        },
        error);
}

bool TargetRepository::setEnabled(qint64 id, bool enabled, QString *error) {
    QSqlQuery q(m_database.connection());
    q.prepare(QStringLiteral("UPDATE targets SET enabled = ?, updated_at = ? WHERE id = ?"));
    q.bindValue(0, int(enabled));
    q.bindValue(1, m_clock.now().toSecsSinceEpoch());
    q.bindValue(2, id);
    if (!q.exec()) {
        setError(error, m_database.describe(q.lastError()));
        return false;
    }
    if (q.numRowsAffected() == 0) {
        setError(error, tr("no target with id %1").arg(id));
        return false;
    }
    return true;
}

std::optional<ImportSummary> TargetRepository::importTargets(const QList<Target> &targets,
                                                             QString *error) {
    ImportSummary summary;

    // First entry per endpoint wins, as in the inventory parser.
    QList<int> unique;
    QStringList keys;
    unique.reserve(targets.size());
    keys.reserve(targets.size());
    {
        QSet<QString> seen;
        seen.reserve(targets.size());
        for (int i = 0; i < targets.size(); ++i) {
            QString key = endpointKey(targets.at(i));
            if (seen.contains(key)) {
                ++summary.duplicatesInInput;
                continue;
            }
            seen.insert(key);
            unique << i;
            keys << key;
        }
    }

    const qint64 now = m_clock.now().toSecsSinceEpoch();
    const auto failed = [&](const QSqlQuery &q) {
        setError(error, m_database.describe(q.lastError()));
        return false;
    };

    const bool ok = m_database.inTransaction(
        [&] {
            QSqlDatabase db = m_database.connection();

            // What is stored already, in one read (inside the transaction, so nobody changes
            // it between this look and the writes).
            QHash<QString, StoredFields> stored;
            QSqlQuery existing(db);
            existing.setForwardOnly(true);
            if (!existing.exec(QStringLiteral(
                    "SELECT id, endpoint_key, name, owner, notes, warning_days, critical_days, "
                    "rotation_days, accept_self_signed, pin_issuer, pin_sha256, client_cert, "
                    "client_key, proxy, check_revocation FROM targets")))
                return failed(existing);
            while (existing.next()) {
                StoredFields s;
                s.id = existing.value(0).toLongLong();
                s.name = existing.value(2).toString();
                s.owner = existing.value(3).toString();
                s.notes = existing.value(4).toString();
                s.warningDays = readOptionalInt(existing.value(5));
                s.criticalDays = readOptionalInt(existing.value(6));
                s.rotationDays = readOptionalInt(existing.value(7));
                s.acceptance.acceptSelfSigned = existing.value(8).toInt() != 0;
                s.acceptance.pinIssuer = existing.value(9).toString();
                s.acceptance.pinSha256 = existing.value(10).toString();
                s.connection.clientCertificate = existing.value(11).toString();
                s.connection.clientKey = existing.value(12).toString();
                s.connection.proxy = existing.value(13).toString();
                s.checkRevocation = readOptionalBool(existing.value(14));
                stored.insert(existing.value(1).toString(), s);
            }
            if (!stored.isEmpty()) {
                QHash<qint64, QString> keyOfId;
                keyOfId.reserve(stored.size());
                for (auto it = stored.cbegin(); it != stored.cend(); ++it)
                    keyOfId.insert(it->id, it.key());
                QSqlQuery tags(db);
                tags.setForwardOnly(true);
                if (!tags.exec(QStringLiteral("SELECT target_id, tag FROM target_tags")))
                    return failed(tags);
                while (tags.next()) {
                    const auto key = keyOfId.constFind(tags.value(0).toLongLong());
                    if (key != keyOfId.cend())
                        stored[*key].tags << tags.value(1).toString();
                }
            }

            QSqlQuery insert(db);
            QSqlQuery insertTag(db);
            QSqlQuery merge(db);
            if (!insert.prepare(kInsertSql))
                return failed(insert);
            if (!insertTag.prepare(QStringLiteral(
                    "INSERT OR IGNORE INTO target_tags (target_id, tag) VALUES (?, ?)")))
                return failed(insertTag);
            if (!merge.prepare(QStringLiteral(
                    "UPDATE targets SET name = ?, owner = ?, notes = ?, warning_days = ?, "
                    "critical_days = ?, rotation_days = ?, accept_self_signed = ?, "
                    "pin_issuer = ?, pin_sha256 = ?, client_cert = ?, client_key = ?, "
                    "proxy = ?, check_revocation = ?, updated_at = ? WHERE id = ?")))
                return failed(merge);

            const auto addTags = [&](qint64 id, const QStringList &tags) {
                for (const QString &tag : tags) {
                    insertTag.bindValue(0, id);
                    insertTag.bindValue(1, tag);
                    if (!insertTag.exec())
                        return failed(insertTag);
                }
                return true;
            };

            for (int u = 0; u < unique.size(); ++u) {
                const Target &target = targets.at(unique.at(u));
                const QString &key = keys.at(u);
                const QStringList tags = normaliseTags(target.tags);
                const auto found = stored.constFind(key);
                if (found == stored.cend()) {
                    Binder b(insert);
                    bindFields(b, target, key);
                    b << now << now;
                    if (!insert.exec()) {
                        setError(error, tr("cannot store %1: %2")
                                            .arg(whereOf(target),
                                                 m_database.describe(insert.lastError())));
                        return false;
                    }
                    const qint64 id = insert.lastInsertId().toLongLong();
                    if (!addTags(id, tags) ||
                        !recordEvent(m_database, id, key, target.label(), "added", now, error))
                        return false;
                    ++summary.added;
                    continue;
                }

                StoredFields merged = *found;
                if (!target.name.isEmpty())
                    merged.name = target.name;
                if (!target.owner.isEmpty())
                    merged.owner = target.owner;
                if (!target.notes.isEmpty())
                    merged.notes = target.notes;
                if (target.warningDays)
                    merged.warningDays = target.warningDays;
                if (target.criticalDays)
                    merged.criticalDays = target.criticalDays;
                if (target.rotationDays)
                    merged.rotationDays = target.rotationDays;
                // An import that states an acceptance replaces the stored one as a whole.
                if (!target.acceptance.isEmpty())
                    merged.acceptance = target.acceptance;
                // Likewise the client certificate (with its key) and the proxy, each on its own.
                if (target.connection.hasClientCertificate()) {
                    merged.connection.clientCertificate = target.connection.clientCertificate;
                    merged.connection.clientKey = target.connection.clientKey;
                }
                if (!target.connection.proxy.isEmpty())
                    merged.connection.proxy = target.connection.proxy;
                if (target.checkRevocation)
                    merged.checkRevocation = target.checkRevocation;
                QStringList newTags;
                for (const QString &tag : tags) {
                    if (!found->tags.contains(tag))
                        newTags << tag;
                }
                const bool fieldsChanged =
                    merged.name != found->name || merged.owner != found->owner ||
                    merged.notes != found->notes || merged.warningDays != found->warningDays ||
                    merged.criticalDays != found->criticalDays ||
                    merged.rotationDays != found->rotationDays ||
                    merged.acceptance != found->acceptance ||
                    merged.connection != found->connection ||
                    merged.checkRevocation != found->checkRevocation;
                if (!fieldsChanged && newTags.isEmpty()) {
                    ++summary.unchanged;
                    continue;
                }
                Binder b(merge);
                b << text(merged.name) << text(merged.owner) << text(merged.notes)
                  << optionalInt(merged.warningDays) << optionalInt(merged.criticalDays)
                  << optionalInt(merged.rotationDays) << int(merged.acceptance.acceptSelfSigned)
                  << text(merged.acceptance.pinIssuer) << text(merged.acceptance.pinSha256)
                  << text(merged.connection.clientCertificate)
                  << text(merged.connection.clientKey) << text(merged.connection.proxy)
                  << optionalBool(merged.checkRevocation) << now << merged.id;
                if (!merge.exec()) {
                    setError(error,
                             tr("cannot store %1: %2")
                                 .arg(whereOf(target), m_database.describe(merge.lastError())));
                    return false;
                }
                if (!addTags(merged.id, newTags))
                    return false;
                ++summary.updated;
            }
            return true;
        },
        error);
    if (!ok)
        return std::nullopt;
    return summary;
}

bool TargetRepository::setTagPolicy(const TagPolicy &policy, QString *error) {
    const QString tag = policy.tag.trimmed();
    if (tag.isEmpty()) {
        setError(error, tr("threshold defaults need a tag"));
        return false;
    }
    for (const auto &days : {policy.warningDays, policy.criticalDays, policy.rotationDays}) {
        if (days && *days < 0) {
            setError(error, tr("threshold defaults for tag %1: days cannot be negative (%2)")
                                .arg(tag)
                                .arg(*days));
            return false;
        }
    }
    QSqlQuery q(m_database.connection());
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO tag_policies "
                             "(tag, warning_days, critical_days, rotation_days, "
                             "accept_self_signed, pin_issuer, pin_sha256, client_cert, "
                             "client_key, proxy, check_revocation) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    Binder b(q);
    b << tag << optionalInt(policy.warningDays) << optionalInt(policy.criticalDays)
      << optionalInt(policy.rotationDays) << int(policy.acceptance.acceptSelfSigned)
      << text(policy.acceptance.pinIssuer) << text(policy.acceptance.pinSha256)
      << text(policy.connection.clientCertificate) << text(policy.connection.clientKey)
      << text(policy.connection.proxy) << optionalBool(policy.checkRevocation);
    if (!q.exec()) {
        setError(error, m_database.describe(q.lastError()));
        return false;
    }
    return true;
}

bool TargetRepository::removeTagPolicy(const QString &tag, QString *error) {
    QSqlQuery q(m_database.connection());
    q.prepare(QStringLiteral("DELETE FROM tag_policies WHERE tag = ?"));
    q.bindValue(0, tag.trimmed());
    if (!q.exec()) {
        setError(error, m_database.describe(q.lastError()));
        return false;
    }
    if (q.numRowsAffected() == 0) {
        setError(error, tr("tag %1 has no threshold defaults").arg(tag.trimmed()));
        return false;
    }
    return true;
}

QList<TagPolicy> TargetRepository::tagPolicies(QString *error) const {
    QSqlQuery q(m_database.connection());
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT tag, warning_days, critical_days, rotation_days, "
                               "accept_self_signed, pin_issuer, pin_sha256, client_cert, "
                               "client_key, proxy, check_revocation FROM tag_policies ORDER BY tag"))) {
        setError(error, m_database.describe(q.lastError()));
        return {};
    }
    QList<TagPolicy> policies;
    while (q.next()) {
        TagPolicy p;
        p.tag = q.value(0).toString();
        p.warningDays = readOptionalInt(q.value(1));
        p.criticalDays = readOptionalInt(q.value(2));
        p.rotationDays = readOptionalInt(q.value(3));
        p.acceptance.acceptSelfSigned = q.value(4).toInt() != 0;
        p.acceptance.pinIssuer = q.value(5).toString();
        p.acceptance.pinSha256 = q.value(6).toString();
        p.connection.clientCertificate = q.value(7).toString();
        p.connection.clientKey = q.value(8).toString();
        p.connection.proxy = q.value(9).toString();
        p.checkRevocation = readOptionalBool(q.value(10));
        policies << p;
    }
    return policies;
}

} // namespace certdash
