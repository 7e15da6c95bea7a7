#include "PromJson.h"

#include <QByteArrayView>
#include <QLatin1String>
#include <QStringView>

#include <algorithm>
#include <cstring>
#include <string_view>
#include <utility>
#include <vector>

namespace certdash {

void PromLabels::insert(const QString &name, const QString &value) {
    for (Label &label : m_labels) {
        if (label.first == name) {
            label.second = value;
            return;
        }
    }
    m_labels.append({name, value});
}

bool PromLabels::operator==(const PromLabels &other) const {
    if (m_labels.size() != other.m_labels.size())
        return false;
    for (const Label &label : m_labels) {
        const auto found =
            std::find_if(other.m_labels.cbegin(), other.m_labels.cend(),
                         [&label](const Label &o) { return o.first == label.first; });
        if (found == other.m_labels.cend() || found->second != label.second)
            return false;
    }
    return true;
}

namespace {

// Deeper than this the reader declines (QJsonDocument's own limit is 1024 levels).
constexpr int kMaxDepth = 200;

bool isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int hexDigit(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// One well-formed UTF-8 sequence (RFC 3629: no overlong form, no surrogate, at most U+10FFFF)
// at p, its lead byte >= 0x80; its length, 0 when malformed.
int utf8Length(const unsigned char *p, const unsigned char *end, char32_t *codePoint) {
    const unsigned char lead = p[0];
    int length = 0;
    char32_t c = 0;
    char32_t min = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
        c = lead & 0x1F;
        min = 0x80;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        c = lead & 0x0F;
        min = 0x800;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        c = lead & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if (end - p < length)
        return 0;
    for (int i = 1; i < length; ++i) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (p[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *codePoint = c;
    return length;
}

// A string token as it stands in the body, between its quotes.
struct RawString {
    const char *begin = nullptr;
    const char *end = nullptr;
    bool escaped = false; // holds a backslash escape
    bool ascii = true;    // 7-bit only

    std::string_view view() const { return {begin, size_t(end - begin)}; }
};

class Reader {
public:
    Reader(const QByteArray &body)
        : m_p(body.constData())
        , m_end(body.constData() + body.size()) {}

    void skipSpace() {
        while (m_p < m_end && isSpace(*m_p))
            ++m_p;
    }
    // The next token is c: consumes it.
    bool eat(char c) {
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
    char peek() {
        skipSpace();
        return m_p < m_end ? *m_p : '\0';
    }

    // A string token; checks its escapes and UTF-8 without decoding it.
    bool rawString(RawString *out) {
        if (!eat('"'))
            return false;
        out->begin = m_p;
        out->escaped = false;
        out->ascii = true;
        while (m_p < m_end) {
            const unsigned char c = static_cast<unsigned char>(*m_p);
            if (c == '"') {
                out->end = m_p++;
                return true;
            }
            if (c < 0x20)
                return false; // a raw control character: JSON wants it escaped
            if (c == '\\') {
                out->escaped = true;
                if (m_end - m_p < 2)
                    return false;
                const char e = m_p[1];
                if (e == 'u') {
                    if (m_end - m_p < 6)
                        return false;
                    for (int i = 2; i < 6; ++i) {
                        if (hexDigit(m_p[i]) < 0)
                            return false;
                    }
                    m_p += 6;
                    continue;
                }
                if (!std::strchr("\"\\/bfnrt", e) || e == '\0')
                    return false;
                m_p += 2;
                continue;
            }
            if (c >= 0x80) {
                out->ascii = false;
                char32_t codePoint = 0;
                const int n =
                    utf8Length(reinterpret_cast<const unsigned char *>(m_p),
                               reinterpret_cast<const unsigned char *>(m_end), &codePoint);
                if (n == 0)
                    return false;
                m_p += n;
                continue;
            }
            ++m_p;
        }
        return false; // unterminated
    }

    // A JSON number (RFC 8259's grammar) converted as QJsonDocument converts it.
    bool number(double *out) {
        skipSpace();
        const char *start = m_p;
        if (m_p < m_end && *m_p == '-')
            ++m_p;
        if (m_p >= m_end)
            return false;
        if (*m_p == '0') {
            ++m_p;
        } else if (*m_p >= '1' && *m_p <= '9') {
            while (m_p < m_end && *m_p >= '0' && *m_p <= '9')
                ++m_p;
        } else {
            return false;
        }
        bool integral = true;
        if (m_p < m_end && *m_p == '.') {
            integral = false;
            ++m_p;
            const char *digits = m_p;
            while (m_p < m_end && *m_p >= '0' && *m_p <= '9')
                ++m_p;
            if (m_p == digits)
                return false;
        }
        if (m_p < m_end && (*m_p == 'e' || *m_p == 'E')) {
            integral = false;
            ++m_p;
            if (m_p < m_end && (*m_p == '+' || *m_p == '-'))
                ++m_p;
            const char *digits = m_p;
            while (m_p < m_end && *m_p >= '0' && *m_p <= '9')
                ++m_p;
            if (m_p == digits)
                return false;
        }
        // QJsonDocument: an integer that fits a qint64 is one, else the text's double (and an
        // out-of-range text is its error).
        const QByteArray text = QByteArray::fromRawData(start, m_p - start);
        bool ok = false;
        if (integral) {
            const qlonglong n = text.toLongLong(&ok);
            if (ok) {
                *out = double(n);
                return true;
            }
        }
        *out = text.toDouble(&ok);
        return ok;
    }

    // Skips any JSON value (its strings and numbers checked like the ones read).
    bool skipValue(int depth) {
        if (depth > kMaxDepth)
            return false;
        switch (peek()) {
        case '"': {
            RawString s;
            return rawString(&s);
        }
        case '{':
            ++m_p;
            if (eat('}'))
                return true;
            do {
                RawString key;
                if (!rawString(&key) || !eat(':') || !skipValue(depth + 1))
                    return false;
            } while (eat(','));
            return eat('}');
        case '[':
            ++m_p;
            if (eat(']'))
                return true;
            do {
                if (!skipValue(depth + 1))
                    return false;
            } while (eat(','));
            return eat(']');
        case 't':
            return literal("true");
        case 'f':
            return literal("false");
        case 'n':
            return literal("null");
        default: {
            double ignored = 0;
            return number(&ignored);
        }
        }
    }

    // Calls member(key) with the reader at each member's value; false when it or the syntax fails.
    template<typename Member> bool object(Member &&member) {
        if (!eat('{'))
            return false;
        if (eat('}'))
            return true;
        do {
            RawString key;
            if (!rawString(&key) || !eat(':') || !member(key))
                return false;
        } while (eat(','));
        return eat('}');
    }
    template<typename Element> bool array(Element &&element) {
        if (!eat('['))
            return false;
        if (eat(']'))
            return true;
        do {
            if (!element())
                return false;
        } while (eat(','));
        return eat(']');
    }

private:
    bool literal(const char *word) {
        const size_t n = std::strlen(word);
        if (size_t(m_end - m_p) < n || std::memcmp(m_p, word, n) != 0)
            return false;
        m_p += n;
        return true;
    }

    const char *m_p;
    const char *m_end;
};

// The string a checked token stands for; false for an escaped lone surrogate (QJsonDocument
// keeps it, a QString cannot be compared with it meaningfully: declined).
bool decode(const RawString &raw, QString *out) {
    const qsizetype size = raw.end - raw.begin;
    if (!raw.escaped) {
        *out =
            raw.ascii ? QString::fromLatin1(raw.begin, size) : QString::fromUtf8(raw.begin, size);
        return true;
    }
    QString s;
    s.reserve(size);
    const char *p = raw.begin;
    while (p < raw.end) {
        const unsigned char c = static_cast<unsigned char>(*p);
        if (c >= 0x80) {
            char32_t codePoint = 0;
            const int n = utf8Length(reinterpret_cast<const unsigned char *>(p),
                                     reinterpret_cast<const unsigned char *>(raw.end), &codePoint);
            s.append(QChar::fromUcs4(codePoint));
            p += n;
            continue;
        }
        if (c != '\\') {
            s.append(QLatin1Char(char(c)));
            ++p;
            continue;
        }
        const char e = p[1];
        p += 2;
        switch (e) {
        case 'b':
            s.append(QChar(0x08));
            break;
        case 'f':
            s.append(QChar(0x0C));
            break;
        case 'n':
            s.append(QChar(0x0A));
            break;
        case 'r':
            s.append(QChar(0x0D));
            break;
        case 't':
            s.append(QChar(0x09));
            break;
        case 'u': {
            const auto unit = [](const char *at) {
                return char16_t(hexDigit(at[0]) << 12 | hexDigit(at[1]) << 8 |
                                hexDigit(at[2]) << 4 | hexDigit(at[3]));
            };
            const char16_t u = unit(p);
            p += 4;
            if (QChar::isLowSurrogate(u))
                return false;
            if (QChar::isHighSurrogate(u)) {
                if (raw.end - p < 6 || p[0] != '\\' || p[1] != 'u')
                    return false;
                const char16_t low = unit(p + 2);
                if (!QChar::isLowSurrogate(low))
                    return false;
                p += 6;
                s.append(QChar(u));
                s.append(QChar(low));
                break;
            }
            s.append(QChar(u));
            break;
        }
        default: // " \ /
            s.append(QLatin1Char(e));
            break;
        }
    }
    *out = std::move(s);
    return true;
}

bool isKey(const RawString &key, std::string_view name) {
    if (!key.escaped)
        return key.view() == name;
    QString decoded;
    return decode(key, &decoded) && decoded == QLatin1String(name.data(), qsizetype(name.size()));
}

// The strings of one body, read once each: a fleet's labels repeat (every probe's six series
// carry the same dozen), and one QString shared by all of them is also one allocation. An
// open-addressing table keyed by the token's bytes in the body.
class Strings {
public:
    Strings() { m_slots.resize(4096); }

    bool get(const RawString &raw, QString *out) {
        if (raw.escaped)
            return decode(raw, out);
        const std::string_view bytes = raw.view();
        const quint64 hash = hashOf(bytes);
        const quint32 tag = quint32(hash >> 32);
        const size_t mask = m_slots.size() - 1;
        size_t i = size_t(hash) & mask;
        // The slots are small (8 bytes) so that probing them stays in the cache; the entry
        // (and the earlier bytes of the body) is read only when the hash matches.
        for (; m_slots[i].entry != 0; i = (i + 1) & mask) {
            if (m_slots[i].tag != tag)
                continue;
            const Entry &entry = m_entries[m_slots[i].entry - 1];
            if (entry.bytes == bytes) {
                *out = entry.string;
                return true;
            }
        }
        if (!decode(raw, out))
            return false;
        m_entries.push_back({bytes, hash, *out});
        m_slots[i] = {tag, quint32(m_entries.size())};
        if (m_entries.size() * 2 > m_slots.size())
            grow();
        return true;
    }

    // A label's name or value at position `at` of its series: the previous series' string at
    // that position is tried first (neighbouring series share most labels, and their bytes are
    // still in the cache), then the table.
    bool label(qsizetype at, bool name, const RawString &raw, QString *out) {
        std::vector<std::pair<std::string_view, QString>> &recent =
            name ? m_recentNames : m_recentValues;
        const size_t i = size_t(at);
        if (!raw.escaped && i < recent.size() && recent[i].first == raw.view()) {
            *out = recent[i].second;
            return true;
        }
        if (!get(raw, out))
            return false;
        if (!raw.escaped) {
            if (i >= recent.size())
                recent.resize(i + 1);
            recent[i] = {raw.view(), *out};
        }
        return true;
    }

private:
    struct Entry {
        std::string_view bytes;
        quint64 hash;
        QString string;
    };
    struct Slot {
        quint32 tag = 0;
        quint32 entry = 0; // index + 1 in m_entries; 0: free
    };

    static quint64 hashOf(std::string_view bytes) {
        quint64 h = 0x9E3779B97F4A7C15ull ^ bytes.size();
        size_t i = 0;
        for (; i + 8 <= bytes.size(); i += 8) {
            quint64 word;
            std::memcpy(&word, bytes.data() + i, 8);
            h = (h ^ word) * 0xFF51AFD7ED558CCDull;
            h ^= h >> 32;
        }
        for (; i < bytes.size(); ++i)
            h = (h ^ static_cast<unsigned char>(bytes[i])) * 0x100000001B3ull;
        h ^= h >> 29;
        h *= 0xC4CEB9FE1A85EC53ull;
        h ^= h >> 32;
        return h;
    }

    void grow() {
        m_slots.assign(m_slots.size() * 2, Slot{});
        const size_t mask = m_slots.size() - 1;
        for (size_t e = 0; e < m_entries.size(); ++e) {
            size_t i = size_t(m_entries[e].hash) & mask;
            while (m_slots[i].entry != 0)
                i = (i + 1) & mask;
            m_slots[i] = {quint32(m_entries[e].hash >> 32), quint32(e + 1)};
        }
    }

    std::vector<Slot> m_slots;
    std::vector<Entry> m_entries;
    std::vector<std::pair<std::string_view, QString>> m_recentNames, m_recentValues;
};

enum class Kind { Vector, Matrix };

// A [time, "value"] pair as QJsonDocument + the old reader read it; false when it is not one.
bool readPair(Reader &in, double *time, QString *value, Strings &strings) {
    if (!in.eat('[') || !in.number(time) || !in.eat(','))
        return false;
    RawString text;
    if (!in.rawString(&text) || !strings.get(text, value))
        return false;
    return in.eat(']');
}

// The metric object: string label values, no name twice.
bool readLabels(Reader &in, PromLabels *out, Strings &strings, qsizetype expected) {
    QList<PromLabels::Label> labels;
    labels.reserve(expected);
    // Names in strictly increasing byte order (as Prometheus writes them) cannot repeat.
    bool sorted = true;
    std::string_view previous;
    const bool ok = in.object([&](const RawString &key) {
        QString name, value;
        RawString text;
        const qsizetype at = labels.size();
        if (!strings.label(at, true, key, &name) || in.peek() != '"' || !in.rawString(&text) ||
            !strings.label(at, false, text, &value))
            return false;
        if (key.escaped || (!labels.isEmpty() && !(previous < key.view())))
            sorted = false;
        previous = key.view();
        labels.append({std::move(name), std::move(value)});
        return true;
    });
    if (!ok)
        return false;
    if (!sorted) { // QJsonDocument keeps one of two equal names: which one is not ours to guess
        std::vector<QStringView> names;
        names.reserve(size_t(labels.size()));
        for (const PromLabels::Label &label : std::as_const(labels))
            names.push_back(label.first);
        std::sort(names.begin(), names.end());
        if (std::adjacent_find(names.begin(), names.end()) != names.end())
            return false;
    }
    *out = PromLabels(std::move(labels));
    return true;
}

// One element of data.result.
bool readSeries(Reader &in, Kind kind, PromLabels *labels, double *value,
                QList<QPair<qint64, double>> *points, Strings &strings, qsizetype expected) {
    bool haveMetric = false, haveValue = false;
    const bool ok = in.object([&](const RawString &key) {
        if (isKey(key, "metric")) {
            if (haveMetric)
                return false;
            haveMetric = true;
            return readLabels(in, labels, strings, expected);
        }
        if (kind == Kind::Vector && isKey(key, "value")) {
            if (haveValue)
                return false;
            haveValue = true;
            double time = 0;
            QString text;
            if (!readPair(in, &time, &text, strings))
                return false;
            bool parsed = false;
            *value = text.toDouble(&parsed);
            return parsed; // else the old reader's message
        }
        if (kind == Kind::Matrix && isKey(key, "values")) {
            if (haveValue)
                return false;
            haveValue = true;
            return in.array([&] {
                double time = 0;
                QString text;
                if (!readPair(in, &time, &text, strings))
                    return false;
                bool parsed = false;
                const double v = text.toDouble(&parsed);
                // As the old reader: a point whose value or time cannot be read is left out.
                if (parsed && time > -9.2e18 && time < 9.2e18)
                    points->append({qint64(time), v});
                return true;
            });
        }
        return in.skipValue(3);
    });
    // A vector series must have its value; a matrix series without values has no points.
    return ok && (kind == Kind::Matrix || haveValue);
}

// Reads the whole body; `onSeries` is called with the reader at each data.result element.
template<typename OnSeries>
bool readAnswer(const QByteArray &body, Kind kind, OnSeries &&onSeries) {
    Reader in(body);
    bool haveStatus = false, haveData = false, success = false;
    const bool ok = in.object([&](const RawString &key) {
        if (isKey(key, "status")) {
            RawString status;
            if (haveStatus || in.peek() != '"' || !in.rawString(&status))
                return false;
            haveStatus = true;
            success = isKey(status, "success");
            return success;
        }
        if (isKey(key, "data")) {
            if (haveData)
                return false;
            haveData = true;
            bool haveType = false, haveResult = false;
            const bool dataOk = in.object([&](const RawString &dataKey) {
                if (isKey(dataKey, "resultType")) {
                    RawString type;
                    if (haveType || in.peek() != '"' || !in.rawString(&type))
                        return false;
                    haveType = true;
                    return isKey(type, kind == Kind::Vector ? "vector" : "matrix");
                }
                if (isKey(dataKey, "result")) {
                    if (haveResult)
                        return false;
                    haveResult = true;
                    return in.array([&] { return onSeries(in); });
                }
                return in.skipValue(2);
            });
            return dataOk && haveType && haveResult;
        }
        return in.skipValue(1);
    });
    return ok && in.atEnd() && success && haveData;
}

} // namespace

std::optional<QList<PromSample>> parsePromVectorFast(const QByteArray &body) {
    QList<PromSample> samples;
    Strings strings;
    qsizetype expected = 16;
    const bool ok = readAnswer(body, Kind::Vector, [&](Reader &in) {
        PromSample sample;
        if (!readSeries(in, Kind::Vector, &sample.labels, &sample.value, nullptr, strings,
                        expected))
            return false;
        expected = std::max<qsizetype>(expected, sample.labels.size());
        samples.append(std::move(sample));
        return true;
    });
    if (!ok)
        return std::nullopt;
    return samples;
}

std::optional<QList<PromSeries>> parsePromMatrixFast(const QByteArray &body) {
    QList<PromSeries> series;
    Strings strings;
    qsizetype expected = 16;
    const bool ok = readAnswer(body, Kind::Matrix, [&](Reader &in) {
        PromSeries s;
        double ignored = 0;
        if (!readSeries(in, Kind::Matrix, &s.labels, &ignored, &s.points, strings, expected))
            return false;
        expected = std::max<qsizetype>(expected, s.labels.size());
        series.append(std::move(s));
        return true;
    });
    if (!ok)
        return std::nullopt;
    return series;
}

} // namespace certdash
