#include "HistoryRepository.h"

#include "probing/X509.h"

#include "Database.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSet>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <algorithm>
#include <cstring>
#include <deque>
#include <limits>
#include <memory>

#ifdef CERTDASH_SQLITE_DIRECT
#include <sqlite3.h>
#endif

Q_DECLARE_LOGGING_CATEGORY(lcStorage)

namespace certdash {

namespace {

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

QString isoTime(const QDateTime &time) {
    return time.isValid() ? time.toUTC().toString(Qt::ISODate) : QString();
}

QDateTime fromIso(const QJsonValue &value) {
    const QString text = value.toString();
    if (text.isEmpty())
        return {};
    QDateTime time = QDateTime::fromString(text, Qt::ISODate);
    return time.isValid() ? time.toUTC() : QDateTime();
}

QJsonArray toArray(const QStringList &list) {
    return QJsonArray::fromStringList(list);
}

QStringList toStringList(const QJsonValue &value) {
    QStringList list;
    const QJsonArray array = value.toArray();
    list.reserve(array.size());
    for (const QJsonValue &item : array)
        list.append(item.toString());
    return list;
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

QList<qint64> parseIdList(QByteArrayView text) {
    QList<qint64> ids;
    qint64 value = 0;
    bool inNumber = false;
    for (const char c : text) {
        if (c >= '0' && c <= '9') {
            value = value * 10 + (c - '0');
            inNumber = true;
        } else if (inNumber) {
            ids.append(value);
            value = 0;
            inNumber = false;
        }
    }
    if (inNumber)
        ids.append(value);
    return ids;
}

// Findings are free sentences (they quote subjects a server chose), so they are stored as a JSON
// array rather than joined with a separator that could occur in them.
QString findingsText(const QStringList &findings) {
    if (findings.isEmpty())
        return QStringLiteral("");
    return QString::fromUtf8(QJsonDocument(toArray(findings)).toJson(QJsonDocument::Compact));
}

QStringList findingsFrom(const QString &text) {
    if (text.isEmpty())
        return {};
    return toStringList(QJsonDocument::fromJson(text.toUtf8()).array());
}

// Pinned addresses as TargetRepository writes them: space-separated.
QStringList addressesFrom(const QString &text) {
    if (text.isEmpty())
        return {};
    return text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
}

std::optional<int> optionalInt(const QVariant &value) {
    if (value.isNull())
        return std::nullopt;
    return value.toInt();
}

QVariant fromOptional(const std::optional<int> &value) {
    return value ? QVariant(*value) : QVariant();
}

} // namespace

QByteArray certificateToStoredJson(const CertificateInfo &c) {
    QJsonObject o;
    o.insert(QLatin1String("subject"), c.subject);
    o.insert(QLatin1String("issuer"), c.issuer);
    o.insert(QLatin1String("subject_cn"), c.subjectCommonName);
    o.insert(QLatin1String("issuer_cn"), c.issuerCommonName);
    o.insert(QLatin1String("serial"), c.serial);
    o.insert(QLatin1String("not_before"), isoTime(c.notBefore));
    o.insert(QLatin1String("not_after"), isoTime(c.notAfter));
    o.insert(QLatin1String("san"), toArray(c.subjectAltNames));
    o.insert(QLatin1String("key_type"), c.keyType);
    o.insert(QLatin1String("key_bits"), c.keyBits);
    o.insert(QLatin1String("curve"), c.curve);
    o.insert(QLatin1String("signature_algorithm"), c.signatureAlgorithm);
    o.insert(QLatin1String("sha256"), c.sha256Fingerprint);
    o.insert(QLatin1String("sha1"), c.sha1Fingerprint);
    o.insert(QLatin1String("subject_key_id"), c.subjectKeyId);
    o.insert(QLatin1String("authority_key_id"), c.authorityKeyId);
    o.insert(QLatin1String("is_ca"), c.isCa);
    o.insert(QLatin1String("path_length"), c.pathLength);
    o.insert(QLatin1String("key_usage"), toArray(c.keyUsage));
    o.insert(QLatin1String("extended_key_usage"), toArray(c.extendedKeyUsage));
    o.insert(QLatin1String("ocsp_urls"), toArray(c.ocspUrls));
    o.insert(QLatin1String("ca_issuers_urls"), toArray(c.caIssuersUrls));
    o.insert(QLatin1String("crl_urls"), toArray(c.crlUrls));
    o.insert(QLatin1String("sct_count"), c.sctCount);
    o.insert(QLatin1String("self_issued"), c.selfIssued);
    o.insert(QLatin1String("self_signed"), c.selfSigned);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

namespace {

void readInfoObject(const QJsonObject &o, CertificateInfo &c) {
    c.subject = o.value(QLatin1String("subject")).toString();
    c.issuer = o.value(QLatin1String("issuer")).toString();
    c.subjectCommonName = o.value(QLatin1String("subject_cn")).toString();
    c.issuerCommonName = o.value(QLatin1String("issuer_cn")).toString();
    c.serial = o.value(QLatin1String("serial")).toString();
    c.notBefore = fromIso(o.value(QLatin1String("not_before")));
    c.notAfter = fromIso(o.value(QLatin1String("not_after")));
    c.subjectAltNames = toStringList(o.value(QLatin1String("san")));
    c.keyType = o.value(QLatin1String("key_type")).toString();
    c.keyBits = o.value(QLatin1String("key_bits")).toInt();
    c.curve = o.value(QLatin1String("curve")).toString();
    c.signatureAlgorithm = o.value(QLatin1String("signature_algorithm")).toString();
    c.sha256Fingerprint = o.value(QLatin1String("sha256")).toString();
    c.sha1Fingerprint = o.value(QLatin1String("sha1")).toString();
    c.subjectKeyId = o.value(QLatin1String("subject_key_id")).toString();
    c.authorityKeyId = o.value(QLatin1String("authority_key_id")).toString();
    c.isCa = o.value(QLatin1String("is_ca")).toBool();
    c.pathLength = o.value(QLatin1String("path_length")).toInt(-1);
    c.keyUsage = toStringList(o.value(QLatin1String("key_usage")));
    c.extendedKeyUsage = toStringList(o.value(QLatin1String("extended_key_usage")));
    c.ocspUrls = toStringList(o.value(QLatin1String("ocsp_urls")));
    c.caIssuersUrls = toStringList(o.value(QLatin1String("ca_issuers_urls")));
    c.crlUrls = toStringList(o.value(QLatin1String("crl_urls")));
    c.sctCount = o.value(QLatin1String("sct_count")).toInt();
    c.selfIssued = o.value(QLatin1String("self_issued")).toBool();
    c.selfSigned = o.value(QLatin1String("self_signed")).toBool();
}

// Values that repeat over thousands of rows and certificates (issuers, algorithms, key usages,
// URLs, statuses, ciphers): one shared QString or list per distinct value instead of one
// allocation per row. Less time in malloc, and far less memory for 100,000 results.
class StringPool {
public:
    QString string(QByteArrayView utf8) {
        const auto it = m_strings.constFind(utf8);
        if (it != m_strings.constEnd())
            return *it;
        return *m_strings.insert(key(utf8), QString::fromUtf8(utf8));
    }
    const QStringList *list(QByteArrayView raw) const {
        const auto it = m_lists.constFind(raw);
        return it == m_lists.constEnd() ? nullptr : &*it;
    }
    void addList(QByteArrayView raw, const QStringList &list) { m_lists.insert(key(raw), list); }

private:
    QByteArrayView key(QByteArrayView bytes) {
        m_keys.push_back(bytes.toByteArray());
        return QByteArrayView(m_keys.back());
    }
    std::deque<QByteArray> m_keys; // stable storage for the views the hashes are keyed by
    QHash<QByteArrayView, QString> m_strings;
    QHash<QByteArrayView, QStringList> m_lists;
};

// A reader for exactly the flat object certificateToStoredJson() writes: string, integer, boolean
// and string-list values. QJsonDocument spends about 6 us per certificate building and querying a
// tree; latest() rebuilds up to 100,000 certificates, so this reads the bytes once, straight into
// the fields. Anything it does not expect makes it give up, and QJsonDocument reads it instead.
class InfoReader {
public:
    InfoReader(QByteArrayView json, StringPool *pool)
        : m_p(json.data())
        , m_end(json.data() + json.size())
        , m_pool(pool) {}

    bool read(CertificateInfo &c) {
        if (!consume('{'))
            return false;
        if (consume('}'))
            return atEnd();
        do {
            QByteArrayView key;
            if (!rawKey(key) || !consume(':') || !field(key, c))
                return false;
        } while (consume(','));
        return consume('}') && atEnd();
    }

private:
    const char *m_p;
    const char *m_end;
    StringPool *m_pool;

    // A value most certificates share: pooled when there is a pool, and only without escapes.
    bool shared(QString &out) {
        skipSpace();
        if (!m_pool || m_p == m_end || *m_p != '"')
            return string(out);
        const char *start = m_p + 1;
        const char *end = start;
        while (end < m_end && *end != '"' && *end != '\\')
            ++end;
        if (end == m_end || *end != '"')
            return string(out);
        out = m_pool->string(QByteArrayView(start, end - start));
        m_p = end + 1;
        return true;
    }
    bool sharedList(QStringList &out) {
        skipSpace();
        if (!m_pool)
            return stringList(out);
        // Find the end of the array (strings may hold ']' or escaped quotes) to look it up whole.
        const char *start = m_p;
        const char *end = m_p;
        bool inString = false;
        for (; end < m_end; ++end) {
            if (inString) {
                if (*end == '\\')
                    ++end;
                else if (*end == '"')
                    inString = false;
            } else if (*end == '"') {
                inString = true;
            } else if (*end == ']') {
                ++end;
                break;
            }
        }
        const QByteArrayView raw(start, end - start);
        if (const QStringList *known = m_pool->list(raw)) {
            out = *known;
            m_p = end;
            return true;
        }
        if (!stringList(out))
            return false;
        m_pool->addList(raw, out);
        return true;
    }

    void skipSpace() {
        while (m_p < m_end && (*m_p == ' ' || *m_p == '\n' || *m_p == '\r' || *m_p == '\t'))
            ++m_p;
    }
    bool consume(char c) {
        skipSpace();
        if (m_p < m_end && *m_p == c) {
            ++m_p;
            return true;
        }
        return false;
    }
    bool atEnd() {
        skipSpace();
        return m_p == m_end;
    }
    bool rawKey(QByteArrayView &key) {
        if (!consume('"'))
            return false;
        const char *start = m_p;
        while (m_p < m_end && *m_p != '"' && *m_p != '\\')
            ++m_p;
        if (m_p == m_end || *m_p != '"')
            return false;
        key = QByteArrayView(start, m_p - start);
        ++m_p;
        return true;
    }
    static int hexDigit(char c) {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    }
    bool hex4(char32_t &value) {
        if (m_end - m_p < 4)
            return false;
        value = 0;
        for (int i = 0; i < 4; ++i) {
            const int d = hexDigit(*m_p++);
            if (d < 0)
                return false;
            value = value * 16 + char32_t(d);
        }
        return true;
    }
    bool string(QString &out) {
        if (!consume('"'))
            return false;
        const char *start = m_p;
        while (m_p < m_end && *m_p != '"' && *m_p != '\\')
            ++m_p;
        if (m_p < m_end && *m_p == '"') {
            out = QString::fromUtf8(start, m_p - start);
            ++m_p;
            return true;
        }
        // Escapes: decode into UTF-16 piecewise.
        out = QString::fromUtf8(start, m_p - start);
        while (m_p < m_end) {
            const char c = *m_p++;
            if (c == '"')
                return true;
            if (c != '\\') {
                const char *run = m_p - 1;
                while (m_p < m_end && *m_p != '"' && *m_p != '\\')
                    ++m_p;
                out += QString::fromUtf8(run, m_p - run);
                continue;
            }
            if (m_p == m_end)
                return false;
            switch (*m_p++) {
            case '"':
                out += QLatin1Char('"');
                break;
            case '\\':
                out += QLatin1Char('\\');
                break;
            case '/':
                out += QLatin1Char('/');
                break;
            case 'b':
                out += QLatin1Char('\b');
                break;
            case 'f':
                out += QLatin1Char('\f');
                break;
            case 'n':
                out += QLatin1Char('\n');
                break;
            case 'r':
                out += QLatin1Char('\r');
                break;
            case 't':
                out += QLatin1Char('\t');
                break;
            case 'u': {
                char32_t unit = 0;
                if (!hex4(unit))
                    return false;
                if (QChar::isHighSurrogate(unit)) {
                    char32_t low = 0;
                    if (m_end - m_p < 6 || m_p[0] != '\\' || m_p[1] != 'u')
                        return false;
                    m_p += 2;
                    if (!hex4(low) || !QChar::isLowSurrogate(low))
                        return false;
                    out += QChar(char16_t(unit));
                    out += QChar(char16_t(low));
                } else if (QChar::isLowSurrogate(unit)) {
                    return false;
                } else {
                    out += QChar(char16_t(unit));
                }
                break;
            }
            default:
                return false;
            }
        }
        return false;
    }
    bool stringList(QStringList &out) {
        if (!consume('['))
            return false;
        out.clear();
        if (consume(']'))
            return true;
        do {
            QString item;
            if (!string(item))
                return false;
            out.append(item);
        } while (consume(','));
        return consume(']');
    }
    bool integer(int &out) {
        skipSpace();
        bool negative = false;
        if (m_p < m_end && *m_p == '-') {
            negative = true;
            ++m_p;
        }
        const char *start = m_p;
        qint64 value = 0;
        while (m_p < m_end && *m_p >= '0' && *m_p <= '9' && m_p - start < 10)
            value = value * 10 + (*m_p++ - '0');
        if (m_p == start || (m_p < m_end && (*m_p == '.' || *m_p == 'e' || *m_p == 'E' ||
                                             (*m_p >= '0' && *m_p <= '9'))))
            return false;
        value = negative ? -value : value;
        if (value < std::numeric_limits<int>::min() || value > std::numeric_limits<int>::max())
            return false;
        out = int(value);
        return true;
    }
    bool boolean(bool &out) {
        skipSpace();
        if (m_end - m_p >= 4 && std::memcmp(m_p, "true", 4) == 0) {
            m_p += 4;
            out = true;
            return true;
        }
        if (m_end - m_p >= 5 && std::memcmp(m_p, "false", 5) == 0) {
            m_p += 5;
            out = false;
            return true;
        }
        return false;
    }
    // "2026-11-23T10:00:00Z" without QDateTime::fromString's generality (and cost); "" is null.
    bool time(QDateTime &out) {
        QString text;
        if (!string(text))
            return false;
        if (text.isEmpty()) {
            out = QDateTime();
            return true;
        }
        const auto digits = [&](int from, int count) {
            int value = 0;
            for (int i = from; i < from + count; ++i) {
                const char16_t c = text.at(i).unicode();
                if (c < u'0' || c > u'9')
                    return -1;
                value = value * 10 + (c - u'0');
            }
            return value;
        };
        if (text.size() == 20 && text.at(4) == QLatin1Char('-') && text.at(7) == QLatin1Char('-') &&
            text.at(10) == QLatin1Char('T') && text.at(13) == QLatin1Char(':') &&
            text.at(16) == QLatin1Char(':') && text.at(19) == QLatin1Char('Z')) {
            const QDate date(digits(0, 4), digits(5, 2), digits(8, 2));
            const QTime clock(digits(11, 2), digits(14, 2), digits(17, 2));
            if (date.isValid() && clock.isValid()) {
                out = QDateTime(date, clock, Qt::UTC);
                return true;
            }
        }
        out = fromIso(QJsonValue(text));
        return out.isValid();
    }

    bool field(QByteArrayView key, CertificateInfo &c) {
        // By length first: comparing against every name would dominate the whole read.
        const auto is = [&](const char *name) {
            return std::memcmp(key.data(), name, size_t(key.size())) == 0;
        };
        switch (key.size()) {
        case 3:
            if (is("san"))
                return stringList(c.subjectAltNames);
            break;
        case 4:
            if (is("sha1"))
                return string(c.sha1Fingerprint);
            break;
        case 5:
            if (is("curve"))
                return shared(c.curve);
            if (is("is_ca"))
                return boolean(c.isCa);
            break;
        case 6:
            if (is("issuer"))
                return shared(c.issuer);
            if (is("serial"))
                return string(c.serial);
            if (is("sha256"))
                return string(c.sha256Fingerprint);
            break;
        case 7:
            if (is("subject"))
                return string(c.subject);
            break;
        case 8:
            if (is("key_type"))
                return shared(c.keyType);
            if (is("key_bits"))
                return integer(c.keyBits);
            if (is("crl_urls"))
                return sharedList(c.crlUrls);
            break;
        case 9:
            if (is("issuer_cn"))
                return shared(c.issuerCommonName);
            if (is("not_after"))
                return time(c.notAfter);
            if (is("key_usage"))
                return sharedList(c.keyUsage);
            if (is("ocsp_urls"))
                return sharedList(c.ocspUrls);
            if (is("sct_count"))
                return integer(c.sctCount);
            break;
        case 10:
            if (is("subject_cn"))
                return string(c.subjectCommonName);
            if (is("not_before"))
                return time(c.notBefore);
            break;
        case 11:
            if (is("path_length"))
                return integer(c.pathLength);
            if (is("self_issued"))
                return boolean(c.selfIssued);
            if (is("self_signed"))
                return boolean(c.selfSigned);
            break;
        case 14:
            if (is("subject_key_id"))
                return string(c.subjectKeyId);
            break;
        case 15:
            if (is("ca_issuers_urls"))
                return sharedList(c.caIssuersUrls);
            break;
        case 16:
            if (is("authority_key_id"))
                return shared(c.authorityKeyId);
            break;
        case 18:
            if (is("extended_key_usage"))
                return sharedList(c.extendedKeyUsage);
            break;
        case 19:
            if (is("signature_algorithm"))
                return shared(c.signatureAlgorithm);
            break;
        default:
            break;
        }
        return false; // a newer writer: let QJsonDocument handle what it can
    }
};

CertificateInfo readCertificate(const QByteArray &der, QByteArrayView info, const QString &text,
                                StringPool *pool) {
    CertificateInfo c;
    if (!InfoReader(info, pool).read(c)) {
        c = CertificateInfo();
        readInfoObject(QJsonDocument::fromJson(info.toByteArray()).object(), c);
    }
    c.der = der;
    c.pem = pemFromDer(der);
    c.text = text;
    return c;
}

} // namespace

CertificateInfo certificateFromStored(const QByteArray &der, const QByteArray &info,
                                      const QString &text) {
    return readCertificate(der, info, text, nullptr);
}

QString pemFromDer(const QByteArray &der) {
    if (der.isEmpty())
        return {};
    // Straight into UTF-16: QByteArray::toBase64 plus line splitting plus fromLatin1 made three
    // copies, a noticeable share of latest() over 100,000 certificates.
    static const char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    static const char kBegin[] = "-----BEGIN CERTIFICATE-----\n";
    static const char kEnd[] = "-----END CERTIFICATE-----\n";
    const qsizetype encoded = (der.size() + 2) / 3 * 4;
    const qsizetype lines = (encoded + 63) / 64;
    QString pem(qsizetype(sizeof kBegin - 1) + encoded + lines + qsizetype(sizeof kEnd - 1),
                Qt::Uninitialized);
    char16_t *out = reinterpret_cast<char16_t *>(pem.data());
    for (const char *c = kBegin; *c; ++c)
        *out++ = char16_t(*c);
    const auto *in = reinterpret_cast<const uchar *>(der.constData());
    const qsizetype size = der.size();
    int column = 0;
    const auto put = [&](char c) {
        *out++ = char16_t(c);
        if (++column == 64) {
            *out++ = u'\n';
            column = 0;
        }
    };
    qsizetype i = 0;
    for (; i + 2 < size; i += 3) {
        const uint v = (uint(in[i]) << 16) | (uint(in[i + 1]) << 8) | in[i + 2];
        put(kAlphabet[(v >> 18) & 63]);
        put(kAlphabet[(v >> 12) & 63]);
        put(kAlphabet[(v >> 6) & 63]);
        put(kAlphabet[v & 63]);
    }
    if (i < size) {
        const uint v = (uint(in[i]) << 16) | (i + 1 < size ? uint(in[i + 1]) << 8 : 0);
        put(kAlphabet[(v >> 18) & 63]);
        put(kAlphabet[(v >> 12) & 63]);
        put(i + 1 < size ? kAlphabet[(v >> 6) & 63] : '=');
        put('=');
    }
    if (column != 0)
        *out++ = u'\n';
    for (const char *c = kEnd; *c; ++c)
        *out++ = char16_t(*c);
    return pem;
}

HistoryRepository::HistoryRepository(Database &database)
    : m_database(database) {}

bool HistoryRepository::record(const QList<ProbeResult> &results, QString *error) {
    const auto fail = [&](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    for (const ProbeResult &result : results) {
        if (result.target.id <= 0)
            return fail(tr("cannot record the result for %1: the target is not stored in the "
                           "database")
                            .arg(result.target.label()));
        const auto nullCertificate = [](const CertificateInfo &c) {
            return c.der.isEmpty();
        };
        if (std::any_of(result.chain.cbegin(), result.chain.cend(), nullCertificate) ||
            std::any_of(result.trust.verifiedPath.cbegin(), result.trust.verifiedPath.cend(),
                        nullCertificate))
            return fail(tr("cannot record the result for %1: a certificate has no DER encoding")
                            .arg(result.target.label()));
    }
    if (results.isEmpty())
        return true;

    QSqlDatabase db = m_database.connection();
    QString message;
    const bool ok = m_database.inTransaction(
        [&] {
            QSqlQuery findCertificate(db);
            QSqlQuery insertCertificate(db);
            QSqlQuery insertProbe(db);
            QSqlQuery upsertLatest(db);
            const auto failed = [&](const QSqlQuery &query) {
                message = m_database.describe(query.lastError());
                qCWarning(lcStorage) << "recording failed:" << query.lastError().text();
                return false;
            };
            if (!findCertificate.prepare(
                    QStringLiteral("SELECT id FROM certificates WHERE sha256 = ?")))
                return failed(findCertificate);
            if (!insertCertificate.prepare(QStringLiteral(
                    "INSERT INTO certificates(sha256, der, subject, issuer, not_before, "
                    "not_after, info, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")))
                return failed(insertCertificate);
            if (!insertProbe.prepare(QStringLiteral(
                    "INSERT INTO probes(target_id, address, sni, probed_at, status, days_left, "
                    "leaf_cert_id, leaf_sha256, leaf_not_before, leaf_not_after, "
                    "earliest_expiry, limiting_subject, limiting_role, chain, verified_path, "
                    "path_to_anchor, trusted, findings, error, tls_version, cipher, duration_ms) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")))
                return failed(insertProbe);
            // A result replaces the stored latest only when it is at least as new: scans that
            // finish out of order, or an import of old results, must not hide a newer probe.
            if (!upsertLatest.prepare(QStringLiteral(
                    "INSERT INTO latest_probes(target_id, address, probe_id) VALUES (?, ?, ?) "
                    "ON CONFLICT(target_id, address) DO UPDATE SET probe_id = excluded.probe_id "
                    "WHERE ? >= (SELECT probed_at FROM probes WHERE id = latest_probes.probe_id)")))
                return failed(upsertLatest);

            // Per call: a scan shares a few intermediates among thousands of results.
            QHash<QString, qint64> idBySha256;
            const auto certificateId = [&](const CertificateInfo &c) -> std::optional<qint64> {
                const QString sha256 = sha256Of(c);
                const auto cached = idBySha256.constFind(sha256);
                if (cached != idBySha256.constEnd())
                    return *cached;
                findCertificate.addBindValue(sha256);
                if (!findCertificate.exec()) {
                    failed(findCertificate);
                    return std::nullopt;
                }
                qint64 id = 0;
                if (findCertificate.next()) {
                    id = findCertificate.value(0).toLongLong();
                } else {
                    insertCertificate.addBindValue(sha256);
                    insertCertificate.addBindValue(c.der);
                    insertCertificate.addBindValue(notNull(c.subject));
                    insertCertificate.addBindValue(notNull(c.issuer));
                    // NOT NULL columns for SQL range queries; info keeps a missing time as null.
                    insertCertificate.addBindValue(
                        c.notBefore.isValid() ? c.notBefore.toSecsSinceEpoch() : 0);
                    insertCertificate.addBindValue(
                        c.notAfter.isValid() ? c.notAfter.toSecsSinceEpoch() : 0);
                    insertCertificate.addBindValue(QString::fromUtf8(certificateToStoredJson(c)));
                    insertCertificate.addBindValue(notNull(certificateText(c)));
                    if (!insertCertificate.exec()) {
                        failed(insertCertificate);
                        return std::nullopt;
                    }
                    id = insertCertificate.lastInsertId().toLongLong();
                }
                findCertificate.finish();
                idBySha256.insert(sha256, id);
                return id;
            };
            const auto certificateIds =
                [&](const QList<CertificateInfo> &certificates) -> std::optional<QList<qint64>> {
                QList<qint64> ids;
                ids.reserve(certificates.size());
                for (const CertificateInfo &c : certificates) {
                    const auto id = certificateId(c);
                    if (!id)
                        return std::nullopt;
                    ids.append(*id);
                }
                return ids;
            };

            for (const ProbeResult &r : results) {
                const auto chain = certificateIds(r.chain);
                const auto path = certificateIds(r.trust.verifiedPath);
                if (!chain || !path)
                    return false;
                const CertificateInfo *leaf = r.leaf();
                const qint64 probedAt = r.probedAt.toSecsSinceEpoch();

                insertProbe.addBindValue(r.target.id);
                insertProbe.addBindValue(notNull(r.address));
                insertProbe.addBindValue(notNull(r.sni));
                insertProbe.addBindValue(probedAt);
                insertProbe.addBindValue(statusKey(r.status));
                insertProbe.addBindValue(fromOptional(r.daysLeft));
                insertProbe.addBindValue(leaf ? QVariant(chain->first()) : QVariant());
                insertProbe.addBindValue(leaf ? QVariant(sha256Of(*leaf)) : QVariant());
                insertProbe.addBindValue(leaf ? seconds(leaf->notBefore) : QVariant());
                insertProbe.addBindValue(leaf ? seconds(leaf->notAfter) : QVariant());
                insertProbe.addBindValue(r.limiting ? seconds(r.limiting->notAfter) : QVariant());
                insertProbe.addBindValue(r.limiting ? QVariant(notNull(r.limiting->subject))
                                                    : QVariant());
                insertProbe.addBindValue(r.limiting ? QVariant(notNull(r.limitingRole))
                                                    : QVariant());
                insertProbe.addBindValue(idList(*chain));
                insertProbe.addBindValue(idList(*path));
                insertProbe.addBindValue(r.trust.pathToAnchor ? 1 : 0);
                // No certificate, nothing to trust or distrust: NULL rather than "untrusted".
                insertProbe.addBindValue(r.hasCertificate() ? QVariant(r.trust.trusted ? 1 : 0)
                                                            : QVariant());
                insertProbe.addBindValue(findingsText(r.trust.findings));
                insertProbe.addBindValue(notNull(r.error));
                insertProbe.addBindValue(notNull(r.tlsVersion));
                insertProbe.addBindValue(notNull(r.cipher));
                insertProbe.addBindValue(r.durationMs);
                if (!insertProbe.exec())
                    return failed(insertProbe);
                const qint64 probeId = insertProbe.lastInsertId().toLongLong();

                upsertLatest.addBindValue(r.target.id);
                upsertLatest.addBindValue(notNull(r.address));
                upsertLatest.addBindValue(probeId);
                upsertLatest.addBindValue(probedAt);
                if (!upsertLatest.exec())
                    return failed(upsertLatest);
            }
            return true;
        },
        &message);
    if (!ok)
        return fail(message);
    return true;
}

QList<ProbeResult> HistoryRepository::latest(QString *error, CertificateDetail detail) const {
    return loadLatest(std::nullopt, detail, error);
}

QList<ProbeResult> HistoryRepository::latestFor(qint64 targetId, QString *error,
                                                CertificateDetail detail) const {
    return loadLatest(targetId, detail, error);
}

namespace {

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

} // namespace

QList<ProbeResult> HistoryRepository::loadLatest(std::optional<qint64> targetId,
                                                 CertificateDetail detail, QString *error) const {
    QElapsedTimer timer;
    timer.start();
    QList<ProbeResult> results;
    std::unique_ptr<Rows> q = openRows(m_database);
    const auto fail = [&] {
        if (error)
            *error = q->errorMessage();
        return QList<ProbeResult>();
    };

    StringPool pool;
    // Tags first, so that each target is built once, complete, and shared by its addresses.
    QHash<qint64, QStringList> tags;
    if (!q->prepare(targetId ? "SELECT target_id, tag FROM target_tags WHERE target_id = ? "
                               "ORDER BY tag"
                             : "SELECT target_id, tag FROM target_tags ORDER BY target_id, tag"))
        return fail();
    if (targetId)
        q->bind(1, *targetId);
    if (!q->exec())
        return fail();
    while (q->next())
        tags[q->integer(0)].append(pool.string(q->view(1)));
    if (q->failed())
        return fail();

    enum Column {
        TargetId,
        Address,
        Sni,
        ProbedAt,
        StatusKey,
        DaysLeft,
        EarliestExpiry,
        LimitingSubject,
        LimitingRole,
        Chain,
        VerifiedPath,
        PathToAnchor,
        Trusted,
        Findings,
        Error,
        TlsVersion,
        Cipher,
        DurationMs,
        TName,
        THost,
        TPort,
        TSni,
        TNoSni,
        TAddresses,
        TStartTls,
        TOwner,
        TNotes,
        TWarning,
        TCritical,
        TRotation,
        TEnabled,
        TCreated,
        TUpdated
    };
    const char *const select =
        "SELECT l.target_id, l.address, p.sni, p.probed_at, p.status, p.days_left, "
        "p.earliest_expiry, p.limiting_subject, p.limiting_role, p.chain, p.verified_path, "
        "p.path_to_anchor, p.trusted, p.findings, p.error, p.tls_version, p.cipher, "
        "p.duration_ms, t.name, t.host, t.port, t.sni, t.no_sni, t.addresses, t.starttls, "
        "t.owner, t.notes, t.warning_days, t.critical_days, t.rotation_days, t.enabled, "
        "t.created_at, t.updated_at "
        "FROM latest_probes l JOIN probes p ON p.id = l.probe_id "
        "JOIN targets t ON t.id = l.target_id ";
    // ProbeResult is large and not relocatable: growing the list would move every element.
    if (!q->prepare(targetId ? "SELECT count(*) FROM latest_probes WHERE target_id = ?"
                             : "SELECT count(*) FROM latest_probes"))
        return fail();
    if (targetId)
        q->bind(1, *targetId);
    if (!q->exec() || !q->next())
        return fail();
    const qsizetype expected = qsizetype(q->integer(0));
    results.reserve(expected);

    const QByteArray sql = QByteArray(select) + (targetId ? "WHERE l.target_id = ? " : "") +
                           "ORDER BY l.target_id, l.address";
    if (!q->prepare(sql.constData()))
        return fail();
    if (targetId)
        q->bind(1, *targetId);
    if (!q->exec())
        return fail();

    struct Pending {
        QList<qint64> chain;
        QList<qint64> path;
        QDateTime earliestExpiry;
        QString limitingSubject;
    };
    QList<Pending> pending;
    pending.reserve(expected);
    QSet<qint64> wanted;
    const auto word = [&](int column) {
        return pool.string(q->view(column));
    };
    const auto time = [&](int column) {
        return q->isNull(column) ? QDateTime()
                                 : QDateTime::fromSecsSinceEpoch(q->integer(column), Qt::UTC);
    };
    const auto optionalInteger = [&](int column) {
        return q->isNull(column) ? std::optional<int>()
                                 : std::optional<int>(int(q->integer(column)));
    };
    Target target;
    while (q->next()) {
        const qint64 id = q->integer(TargetId);
        if (id != target.id) {
            target = Target();
            target.id = id;
            target.name = q->text(TName);
            target.host = q->text(THost);
            target.port = quint16(q->integer(TPort));
            target.sni = q->text(TSni);
            target.noSni = q->integer(TNoSni) != 0;
            target.addresses = addressesFrom(q->text(TAddresses));
            target.startTls = startTlsFromKey(word(TStartTls)).value_or(StartTls::None);
            target.warningDays = optionalInteger(TWarning);
            target.criticalDays = optionalInteger(TCritical);
            target.rotationDays = optionalInteger(TRotation);
            target.tags = tags.value(id);
            target.owner = word(TOwner);
            target.notes = q->text(TNotes);
            target.enabled = q->integer(TEnabled) != 0;
            target.createdAt = time(TCreated);
            target.updatedAt = time(TUpdated);
        }
        ProbeResult r;
        r.target = target;
        r.address = q->text(Address);
        r.sni = q->text(Sni);
        r.probedAt = time(ProbedAt);
        r.status = statusFromKey(word(StatusKey)).value_or(Status::Unreachable);
        r.daysLeft = optionalInteger(DaysLeft);
        r.limitingRole = word(LimitingRole);
        r.trust.pathToAnchor = q->integer(PathToAnchor) != 0;
        r.trust.trusted = q->integer(Trusted) != 0;
        r.trust.findings = findingsFrom(q->text(Findings));
        r.error = q->text(Error);
        r.tlsVersion = word(TlsVersion);
        r.cipher = word(Cipher);
        r.durationMs = q->integer(DurationMs);

        Pending p;
        p.chain = parseIdList(q->view(Chain));
        p.path = parseIdList(q->view(VerifiedPath));
        p.earliestExpiry = time(EarliestExpiry);
        p.limitingSubject = q->text(LimitingSubject);
        for (qint64 c : std::as_const(p.chain))
            wanted.insert(c);
        for (qint64 c : std::as_const(p.path))
            wanted.insert(c);
        results.append(std::move(r));
        pending.append(std::move(p));
    }
    if (q->failed())
        return fail();

    const qint64 rowsMs = timer.elapsed();
    // Each distinct certificate is read and rebuilt once; results share it (implicitly).
    QHash<qint64, CertificateInfo> certificates;
    certificates.reserve(wanted.size());
    if (!wanted.isEmpty()) {
        QByteArray ids = "[";
        for (qint64 id : std::as_const(wanted)) {
            if (ids.size() > 1)
                ids.append(',');
            ids.append(QByteArray::number(id));
        }
        ids.append(']');
        const bool full = detail == CertificateDetail::Full;
        if (!q->prepare(full ? "SELECT id, info, der, text FROM certificates "
                               "WHERE id IN (SELECT value FROM json_each(?))"
                             : "SELECT id, info FROM certificates "
                               "WHERE id IN (SELECT value FROM json_each(?))"))
            return fail();
        q->bind(1, ids);
        if (!q->exec())
            return fail();
        while (q->next()) {
            certificates.emplace(q->integer(0),
                                 readCertificate(full ? q->bytes(2) : QByteArray(), q->view(1),
                                                 full ? q->text(3) : QString(), &pool));
        }
        if (q->failed())
            return fail();
    }

    const qint64 certificatesMs = timer.elapsed() - rowsMs;
    for (qsizetype i = 0; i < results.size(); ++i) {
        ProbeResult &r = results[i];
        const Pending &p = pending.at(i);
        r.chain.reserve(p.chain.size());
        for (qint64 id : p.chain)
            r.chain.append(certificates.value(id));
        r.trust.verifiedPath.reserve(p.path.size());
        for (qint64 id : p.path)
            r.trust.verifiedPath.append(certificates.value(id));
        if (p.earliestExpiry.isValid()) {
            // The limiting certificate is the one on the client path that expires at
            // earliest_expiry; the subject tells apart two that expire in the same second.
            const QList<CertificateInfo> path = clientPath(r);
            const CertificateInfo *match = nullptr;
            for (const CertificateInfo &c : path) {
                if (c.notAfter != p.earliestExpiry)
                    continue;
                if (c.subject == p.limitingSubject) {
                    match = &c;
                    break;
                }
                if (!match)
                    match = &c;
            }
            if (match)
                r.limiting = *match;
        }
    }
    qCDebug(lcStorage).nospace() << "latest: " << results.size() << " results in "
                                 << timer.elapsed() << " ms (rows " << rowsMs << ", "
                                 << certificates.size() << " certificates " << certificatesMs
                                 << ", direct SQLite " << q->direct() << ")";
    return results;
}

QList<HistoryPoint> HistoryRepository::history(qint64 targetId, const QDateTime &from,
                                               const QDateTime &to, QString *error) const {
    QSqlQuery q(m_database.connection());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral(
        "SELECT probed_at, address, status, days_left, earliest_expiry, leaf_not_before, "
        "leaf_not_after, leaf_sha256, error FROM probes "
        "WHERE target_id = ? AND probed_at BETWEEN ? AND ? ORDER BY probed_at, address, id"));
    q.addBindValue(targetId);
    // Stored times are whole seconds: a bound with milliseconds includes only the seconds that
    // lie inside it.
    const qint64 lower = from.isValid() ? (from.toMSecsSinceEpoch() + 999) / 1000
                                        : std::numeric_limits<qint64>::min();
    const qint64 upper = to.isValid() ? to.toSecsSinceEpoch() : std::numeric_limits<qint64>::max();
    q.addBindValue(lower);
    q.addBindValue(upper);
    QList<HistoryPoint> points;
    if (!q.exec()) {
        if (error)
            *error = m_database.describe(q.lastError());
        return points;
    }
    while (q.next()) {
        HistoryPoint point;
        point.probedAt = fromSeconds(q.value(0));
        point.address = q.value(1).toString();
        point.status = statusFromKey(q.value(2).toString()).value_or(Status::Unreachable);
        point.daysLeft = optionalInt(q.value(3));
        point.earliestExpiry = fromSeconds(q.value(4));
        point.leafNotBefore = fromSeconds(q.value(5));
        point.leafNotAfter = fromSeconds(q.value(6));
        point.leafSha256 = q.value(7).toString();
        point.error = q.value(8).toString();
        points.append(point);
    }
    return points;
}

} // namespace certdash
