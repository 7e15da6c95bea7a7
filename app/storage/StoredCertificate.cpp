#include "StoredCertificate.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstring>

namespace certdash {

namespace {

QString isoTime(const QDateTime &time) {
    return time.isValid() ? time.toUTC().toString(Qt::ISODate) : QString();
}

QDateTime fromIso(const QJsonValue &value) {
    const QString text = value.toString();
    if (text.isEmpty())
        return {};
    const QDateTime time = QDateTime::fromString(text, Qt::ISODate);
    // Whole seconds, as certificates and isoTime() have them: a stored "...:00.400Z" (edited by
    // hand, another writer) must not read as a time that the store cannot write back.
    return time.isValid() ? QDateTime::fromSecsSinceEpoch(time.toSecsSinceEpoch(), Qt::UTC)
                          : QDateTime();
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
    // An unreadable time is stored as null with its encoding beside it, never as a made-up date.
    if (!c.rawNotBefore.isEmpty())
        o.insert(QLatin1String("not_before_raw"), c.rawNotBefore);
    if (!c.rawNotAfter.isEmpty())
        o.insert(QLatin1String("not_after_raw"), c.rawNotAfter);
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
    c.rawNotBefore = o.value(QLatin1String("not_before_raw")).toString();
    c.rawNotAfter = o.value(QLatin1String("not_after_raw")).toString();
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
        // The common form straight from the bytes: no QString to allocate, twice per certificate.
        skipSpace();
        if (m_end - m_p >= 22 && m_p[0] == '"' && m_p[21] == '"' && m_p[5] == '-' &&
            m_p[8] == '-' && m_p[11] == 'T' && m_p[14] == ':' && m_p[17] == ':' && m_p[20] == 'Z') {
            const char *d = m_p + 1;
            const auto digits = [&](int from, int count) {
                int value = 0;
                for (int i = from; i < from + count; ++i) {
                    if (d[i] < '0' || d[i] > '9')
                        return -1;
                    value = value * 10 + (d[i] - '0');
                }
                return value;
            };
            const int year = digits(0, 4);
            const QDate date(year, digits(5, 2), digits(8, 2));
            const QTime clock(digits(11, 2), digits(14, 2), digits(17, 2));
            if (year >= 0 && date.isValid() && clock.isValid()) {
                out = QDateTime(date, clock, Qt::UTC);
                m_p += 22;
                return true;
            }
        }
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
            // digits() is -1 for a non-digit, and QDate takes year -1 (1 BC): "202h-03-15..." must
            // not read as a date nobody wrote.
            const int year = digits(0, 4);
            const QDate date(year, digits(5, 2), digits(8, 2));
            const QTime clock(digits(11, 2), digits(14, 2), digits(17, 2));
            if (year >= 0 && date.isValid() && clock.isValid()) {
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
        case 13:
            if (is("not_after_raw"))
                return string(c.rawNotAfter);
            break;
        case 14:
            if (is("subject_key_id"))
                return string(c.subjectKeyId);
            if (is("not_before_raw"))
                return string(c.rawNotBefore);
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

} // namespace

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

} // namespace certdash
