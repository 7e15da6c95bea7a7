#include "HostName.h"

#include "Target.h"

#include <QCoreApplication>
#include <QStringList>
#include <QUrl>

#include <vector>

namespace certdash {

namespace {

class HostNameText {
    Q_DECLARE_TR_FUNCTIONS(certdash::HostName)
};

constexpr char32_t kBase = 36;
constexpr char32_t kTMin = 1;
constexpr char32_t kTMax = 26;
constexpr char32_t kSkew = 38;
constexpr char32_t kDamp = 700;
constexpr char32_t kInitialBias = 72;
constexpr char32_t kInitialN = 128;
constexpr quint64 kMaxInt = 0x7FFFFFFF;

char32_t adapt(quint64 delta, quint64 points, bool first) {
    delta = first ? delta / kDamp : delta / 2;
    delta += delta / points;
    char32_t k = 0;
    while (delta > ((kBase - kTMin) * kTMax) / 2) {
        delta /= kBase - kTMin;
        k += kBase;
    }
    return char32_t(k + (kBase - kTMin + 1) * delta / (delta + kSkew));
}

int digitValue(QChar c) {
    const char16_t u = c.unicode();
    if (u >= '0' && u <= '9')
        return u - '0' + 26;
    if (u >= 'a' && u <= 'z')
        return u - 'a';
    if (u >= 'A' && u <= 'Z')
        return u - 'A';
    return -1;
}

std::vector<char32_t> codePoints(QStringView text) {
    std::vector<char32_t> points;
    for (const char32_t c : text.toUcs4())
        points.push_back(c);
    return points;
}

enum class Bidi { L, R, AL, EN, AN, ES, CS, ET, ON, BN, NSM, Other };

Bidi bidiClass(char32_t c) {
    switch (QChar::direction(c)) {
    case QChar::DirL:
        return Bidi::L;
    case QChar::DirR:
        return Bidi::R;
    case QChar::DirAL:
        return Bidi::AL;
    case QChar::DirEN:
        return Bidi::EN;
    case QChar::DirAN:
        return Bidi::AN;
    case QChar::DirES:
        return Bidi::ES;
    case QChar::DirCS:
        return Bidi::CS;
    case QChar::DirET:
        return Bidi::ET;
    case QChar::DirON:
        return Bidi::ON;
    case QChar::DirBN:
        return Bidi::BN;
    case QChar::DirNSM:
        return Bidi::NSM;
    default:
        return Bidi::Other;
    }
}

bool isRightToLeft(char32_t c) {
    const Bidi b = bidiClass(c);
    return b == Bidi::R || b == Bidi::AL || b == Bidi::AN;
}

// RFC 5893 section 2, for one label of a name that has a right-to-left label.
bool followsBidiRule(const std::vector<char32_t> &label) {
    if (label.empty())
        return true;
    const Bidi first = bidiClass(label.front());
    // The last character that is not a non-spacing mark.
    auto last = label.rbegin();
    while (last != label.rend() && bidiClass(*last) == Bidi::NSM)
        ++last;
    if (last == label.rend())
        return false;
    const Bidi end = bidiClass(*last);
    if (first == Bidi::R || first == Bidi::AL) {
        bool en = false;
        bool an = false;
        for (const char32_t c : label) {
            switch (bidiClass(c)) {
            case Bidi::EN:
                en = true;
                break;
            case Bidi::AN:
                an = true;
                break;
            case Bidi::R:
            case Bidi::AL:
            case Bidi::ES:
            case Bidi::CS:
            case Bidi::ET:
            case Bidi::ON:
            case Bidi::BN:
            case Bidi::NSM:
                break;
            default:
                return false;
            }
        }
        return !(en && an) &&
               (end == Bidi::R || end == Bidi::AL || end == Bidi::EN || end == Bidi::AN);
    }
    if (first != Bidi::L)
        return false;
    for (const char32_t c : label) {
        switch (bidiClass(c)) {
        case Bidi::L:
        case Bidi::EN:
        case Bidi::ES:
        case Bidi::CS:
        case Bidi::ET:
        case Bidi::ON:
        case Bidi::BN:
        case Bidi::NSM:
            break;
        default:
            return false;
        }
    }
    return end == Bidi::L || end == Bidi::EN;
}

QString labelText(QStringView label) {
    // Labels of a name toAsciiHostName() accepted are at most 63 characters: short enough.
    return QStringLiteral("'%1'").arg(label.toString());
}

} // namespace

std::optional<QString> decodePunycode(QStringView input) {
    std::vector<char32_t> output;
    qsizetype in = 0;
    const qsizetype delimiter = input.lastIndexOf(QLatin1Char('-'));
    if (delimiter >= 0) {
        for (qsizetype j = 0; j < delimiter; ++j) {
            if (input.at(j).unicode() >= 0x80)
                return std::nullopt;
            output.push_back(input.at(j).unicode());
        }
        in = delimiter + 1;
    }
    quint64 n = kInitialN;
    quint64 i = 0;
    char32_t bias = kInitialBias;
    while (in < input.size()) {
        const quint64 oldI = i;
        quint64 w = 1;
        for (char32_t k = kBase;; k += kBase) {
            if (in >= input.size())
                return std::nullopt;
            const int digit = digitValue(input.at(in++));
            if (digit < 0 || quint64(digit) > (kMaxInt - i) / w)
                return std::nullopt;
            i += quint64(digit) * w;
            const char32_t t = k <= bias ? kTMin : k >= bias + kTMax ? kTMax : k - bias;
            if (quint64(digit) < t)
                break;
            if (w > kMaxInt / (kBase - t))
                return std::nullopt;
            w *= kBase - t;
        }
        const quint64 points = output.size() + 1;
        bias = adapt(i - oldI, points, oldI == 0);
        if (i / points > kMaxInt - n)
            return std::nullopt;
        n += i / points;
        i %= points;
        if (n > 0x10FFFF || (n >= 0xD800 && n <= 0xDFFF))
            return std::nullopt;
        output.insert(output.begin() + qsizetype(i), char32_t(n));
        ++i;
    }
    return QString::fromUcs4(output.data(), qsizetype(output.size()));
}

QString hostNameProblem(const QString &host) {
    QString name = host.trimmed();
    if (name.endsWith(QLatin1Char('.')))
        name.chop(1);
    // The Unicode form of every label: as written, or decoded from its "xn--" form.
    std::vector<std::vector<char32_t>> labels;
    bool rightToLeft = false;
    const QStringList parts = name.split(QLatin1Char('.'));
    for (const QString &part : parts) {
        QString unicode = part;
        if (part.startsWith(QLatin1String("xn--"), Qt::CaseInsensitive)) {
            const auto decoded = decodePunycode(QStringView(part).mid(4));
            if (!decoded || decoded->isEmpty())
                return HostNameText::tr("label %1 is not valid punycode").arg(labelText(part));
            bool ascii = true;
            for (const QChar c : *decoded)
                ascii = ascii && c.unicode() < 0x80;
            if (ascii || QString::fromLatin1(QUrl::toAce(*decoded)) != part.toLower()) {
                return HostNameText::tr("label %1 is not the punycode form of a Unicode label")
                    .arg(labelText(part));
            }
            unicode = *decoded;
        }
        std::vector<char32_t> points = codePoints(unicode);
        if (!points.empty()) {
            const auto category = QChar::category(points.front());
            if (category == QChar::Mark_NonSpacing || category == QChar::Mark_SpacingCombining ||
                category == QChar::Mark_Enclosing)
                return HostNameText::tr("label %1 starts with a combining mark")
                    .arg(labelText(part));
        }
        for (size_t j = 0; j < points.size(); ++j) {
            if (points[j] != 0x200C && points[j] != 0x200D)
                continue;
            if (j == 0 || QChar::combiningClass(points[j - 1]) != 9) {
                return HostNameText::tr("label %1 has a zero-width joiner that does not follow a "
                                        "virama")
                    .arg(labelText(part));
            }
        }
        for (const char32_t c : points)
            rightToLeft = rightToLeft || isRightToLeft(c);
        labels.push_back(std::move(points));
    }
    if (rightToLeft) {
        for (size_t j = 0; j < labels.size(); ++j) {
            if (!followsBidiRule(labels[j])) {
                return HostNameText::tr("label %1 breaks the rule for right-to-left names (RFC 5893)")
                    .arg(labelText(parts.at(qsizetype(j))));
            }
        }
    }
    return {};
}

} // namespace certdash
