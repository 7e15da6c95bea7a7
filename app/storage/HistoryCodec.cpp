#include "HistoryCodec.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>

namespace certdash::historycodec {

// QtSql binds a null QString as SQL NULL, which the NOT NULL text columns refuse.
QString notNull(const QString &text) {
    return text.isNull() ? QStringLiteral("") : text;
}

QVariant seconds(const QDateTime &time) {
    return time.isValid() ? QVariant(time.toSecsSinceEpoch()) : QVariant();
}

QDateTime fromSeconds(const QVariant &value) {
    return value.isNull() ? QDateTime()
                          : QDateTime::fromSecsSinceEpoch(value.toLongLong(), Qt::UTC);
}

QString sha256Of(const CertificateInfo &certificate) {
    if (!certificate.sha256Fingerprint.isEmpty())
        return certificate.sha256Fingerprint;
    return QString::fromLatin1(
        QCryptographicHash::hash(certificate.der, QCryptographicHash::Sha256).toHex(':').toUpper());
}

QString idList(const QList<qint64> &ids) {
    QString text = QStringLiteral("");
    for (qint64 id : ids) {
        if (!text.isEmpty())
            text += QLatin1Char(' ');
        text += QString::number(id);
    }
    return text;
}

// Findings are free sentences (they quote subjects a server chose), so they are stored as a JSON
// array rather than joined with a separator that could occur in them.
QString findingsText(const QStringList &findings) {
    if (findings.isEmpty())
        return QStringLiteral("");
    return QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(findings)).toJson(QJsonDocument::Compact));
}

QStringList findingsFrom(const QString &text) {
    if (text.isEmpty())
        return {};
    QStringList list;
    for (const QJsonValue &item : QJsonDocument::fromJson(text.toUtf8()).array())
        list.append(item.toString());
    return list;
}

// Finding kinds as stable keys, space-separated, in the order of the findings.
QString kindsText(const QList<FindingKind> &kinds) {
    QStringList keys;
    keys.reserve(kinds.size());
    for (const FindingKind kind : kinds)
        keys << findingKindKey(kind);
    return keys.join(QLatin1Char(' '));
}

QList<FindingKind> kindsFrom(QByteArrayView text) {
    QList<FindingKind> kinds;
    for (const QByteArray &key : text.toByteArray().split(' ')) {
        if (!key.isEmpty())
            kinds << findingKindFromKey(QString::fromLatin1(key));
    }
    return kinds;
}

// Pinned addresses as TargetRepository writes them: space-separated.
QStringList addressesFrom(const QString &text) {
    if (text.isEmpty())
        return {};
    return text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
}

// A round's addresses as " a b " (sorted, so that equal rounds compare equal), for
// instr(list, ' ' || address || ' '): addresses never hold a space, and "" (a DNS failure) shows
// as two spaces in a row. Cheaper per row than a JSON array through json_each.
QString roundList(const QStringList &roundAddresses) {
    QStringList addresses = roundAddresses;
    addresses.sort();
    return QLatin1Char(' ') + addresses.join(QLatin1Char(' ')) + QLatin1Char(' ');
}

std::optional<int> optionalInt(const QVariant &value) {
    if (value.isNull())
        return std::nullopt;
    return value.toInt();
}

QVariant fromOptional(const std::optional<int> &value) {
    return value ? QVariant(*value) : QVariant();
}

} // namespace certdash::historycodec
