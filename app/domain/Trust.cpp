#include "Trust.h"

#include "CertificateInfo.h"
#include "TrustReport.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <cctype>

#include <algorithm>
#include <array>

namespace certdash {

namespace {
struct TrustText {
    Q_DECLARE_TR_FUNCTIONS(certdash::Trust)
};

struct KindRow {
    FindingKind kind;
    const char *key;
    FindingSeverity severity;
};

constexpr KindRow kKinds[] = {
#define CERTDASH_FINDING_ROW(name, key, severity)                                                  \
    {FindingKind::name, key, FindingSeverity::severity},
    CERTDASH_FINDING_KINDS(CERTDASH_FINDING_ROW)
#undef CERTDASH_FINDING_ROW
};

const KindRow &rowOf(FindingKind kind) {
    for (const KindRow &row : kKinds) {
        if (row.kind == kind)
            return row;
    }
    return kKinds[0];
}

struct LevelName {
    TrustLevel level;
    const char *key;
};
constexpr std::array<LevelName, 4> kLevels{{
    {TrustLevel::Trusted, "trusted"},
    {TrustLevel::Accepted, "accepted"},
    {TrustLevel::Weak, "weak"},
    {TrustLevel::Failed, "failed"},
}};

// The kinds that say "no trust anchor vouches for this chain": what accept_self_signed and a
// matching pin_issuer are for.
bool untrustedChainKind(FindingKind kind) {
    return kind == FindingKind::SelfSigned || kind == FindingKind::UntrustedRoot ||
           kind == FindingKind::IncompleteChain;
}

// "CN=a,O=b" and "cn=a, o=b" name the same issuer.
QString normalizedName(const QString &name) {
    static const QRegularExpression separators(QStringLiteral("\\s*([,=])\\s*"));
    QString text = name.trimmed();
    text.replace(separators, QStringLiteral("\\1"));
    return text.toCaseFolded();
}

bool issuerMatches(const CertificateInfo &leaf, const QString &pin) {
    const QString wanted = normalizedName(pin);
    if (wanted.isEmpty())
        return true;
    if (normalizedName(leaf.issuer) == wanted)
        return true;
    // A pin without '=' names the issuer's CN.
    return !pin.contains(QLatin1Char('=')) && !leaf.issuerCommonName.isEmpty() &&
           normalizedName(leaf.issuerCommonName) == wanted;
}
} // namespace

QString findingKindKey(FindingKind kind) {
    return QString::fromLatin1(rowOf(kind).key);
}

FindingKind findingKindFromKey(const QString &key) {
    for (const KindRow &row : kKinds) {
        if (key == QLatin1String(row.key))
            return row.kind;
    }
    return FindingKind::Other;
}

FindingSeverity findingSeverity(FindingKind kind) {
    return rowOf(kind).severity;
}

FindingSeverity findingSeverity(FindingKind kind, bool revocationAsked) {
    if (revocationAsked &&
        (kind == FindingKind::OcspUnknown || kind == FindingKind::RevocationUnchecked))
        return FindingSeverity::Weak;
    return findingSeverity(kind);
}

QString findingKindLabel(FindingKind kind) {
    switch (kind) {
    case FindingKind::HostnameMismatch:
        return TrustText::tr("hostname mismatch");
    case FindingKind::UntrustedRoot:
        return TrustText::tr("untrusted root");
    case FindingKind::IncompleteChain:
        return TrustText::tr("incomplete chain");
    case FindingKind::SelfSigned:
        return TrustText::tr("self-signed");
    case FindingKind::ExpiredInChain:
        return TrustText::tr("expired certificate in the chain");
    case FindingKind::NotYetValidInChain:
        return TrustText::tr("certificate in the chain not valid yet");
    case FindingKind::UnreadableCertificate:
        return TrustText::tr("unreadable certificate");
    case FindingKind::PinMismatch:
        return TrustText::tr("pinned certificate changed");
    case FindingKind::UnreadableDate:
        return TrustText::tr("unreadable validity date");
    case FindingKind::NoSubjectAltName:
        return TrustText::tr("host named only in the Common Name");
    case FindingKind::ChainOutOfOrder:
        return TrustText::tr("chain out of order");
    case FindingKind::WeakKey:
        return TrustText::tr("weak key");
    case FindingKind::WeakSignature:
        return TrustText::tr("weak signature");
    case FindingKind::ExtraCertificate:
        return TrustText::tr("extra certificate");
    case FindingKind::ClientCertificateRequired:
        return TrustText::tr("client certificate required");
    case FindingKind::ClientCertificateRejected:
        return TrustText::tr("client certificate rejected");
    case FindingKind::Revoked:
        return TrustText::tr("revoked");
    case FindingKind::OcspUnknown:
        return TrustText::tr("unknown to the OCSP responder");
    case FindingKind::RevocationUnchecked:
        return TrustText::tr("revocation not checked");
    case FindingKind::Other:
        break;
    }
    return TrustText::tr("verification failed");
}

QString trustLevelKey(TrustLevel level) {
    for (const LevelName &l : kLevels) {
        if (l.level == level)
            return QString::fromLatin1(l.key);
    }
    return {};
}

std::optional<TrustLevel> trustLevelFromKey(const QString &key) {
    for (const LevelName &l : kLevels) {
        if (key == QLatin1String(l.key))
            return l.level;
    }
    return std::nullopt;
}

QString trustLevelLabel(TrustLevel level) {
    switch (level) {
    case TrustLevel::Trusted:
        return TrustText::tr("Trusted");
    case TrustLevel::Accepted:
        return TrustText::tr("Accepted");
    case TrustLevel::Weak:
        return TrustText::tr("Weak");
    case TrustLevel::Failed:
        return TrustText::tr("Not trusted");
    }
    return {};
}

int exitCodeForTrust(TrustLevel worst) {
    switch (worst) {
    case TrustLevel::Failed:
        return 2;
    case TrustLevel::Weak:
        return 1;
    case TrustLevel::Trusted:
    case TrustLevel::Accepted:
        break;
    }
    return 0;
}

QString acceptanceRuleKey(AcceptanceRule rule) {
    switch (rule) {
    case AcceptanceRule::SelfSigned:
        return QStringLiteral("accept_self_signed");
    case AcceptanceRule::Issuer:
        return QStringLiteral("pin_issuer");
    case AcceptanceRule::Fingerprint:
        return QStringLiteral("pin_sha256");
    case AcceptanceRule::None:
        break;
    }
    return {};
}

AcceptanceRule acceptanceRuleFromKey(const QString &key) {
    for (const AcceptanceRule rule :
         {AcceptanceRule::SelfSigned, AcceptanceRule::Issuer, AcceptanceRule::Fingerprint}) {
        if (key == acceptanceRuleKey(rule))
            return rule;
    }
    return AcceptanceRule::None;
}

std::optional<QString> canonicalSha256(const QString &text) {
    QString hex = text.trimmed();
    hex.remove(QLatin1Char(':'));
    if (hex.size() != 64)
        return std::nullopt;
    for (const QChar c : hex) {
        if (!std::isxdigit(c.toLatin1()) || c.unicode() > 0x7f)
            return std::nullopt;
    }
    hex = hex.toUpper();
    QString out;
    out.reserve(95);
    for (int i = 0; i < 64; i += 2) {
        if (i > 0)
            out += QLatin1Char(':');
        out += QStringView(hex).mid(i, 2);
    }
    return out;
}

TrustVerdict trustVerdict(const QList<FindingKind> &kinds, const TrustAcceptance &acceptance,
                          bool revocationAsked) {
    TrustVerdict verdict;
    // Hygiene (an extra certificate, a stale cross-sign) is listed and explained, but clients
    // do not mind it: it never lowers the level, nor needs accepting.
    const bool onlyHygiene =
        std::all_of(kinds.begin(), kinds.end(), [revocationAsked](FindingKind kind) {
            return findingSeverity(kind, revocationAsked) == FindingSeverity::Hygiene;
        });
    if (onlyHygiene)
        return verdict; // trusted: nothing to accept
    // A pin that no longer matches, or a certificate its CA revoked: no acceptance covers it.
    if (kinds.contains(FindingKind::PinMismatch) || kinds.contains(FindingKind::Revoked)) {
        verdict.level = TrustLevel::Failed;
        return verdict;
    }
    const auto accepted = [&](AcceptanceRule rule) {
        verdict.level = TrustLevel::Accepted;
        verdict.acceptedBy = rule;
        verdict.acceptedTag = acceptance.fromTag;
        return verdict;
    };
    // A matching fingerprint is the strongest statement: this exact certificate is the one.
    if (!acceptance.pinSha256.isEmpty())
        return accepted(AcceptanceRule::Fingerprint);

    const AcceptanceRule chainRule = !acceptance.pinIssuer.isEmpty() ? AcceptanceRule::Issuer
                                     : acceptance.acceptSelfSigned   ? AcceptanceRule::SelfSigned
                                                                     : AcceptanceRule::None;
    bool failed = false;
    bool weak = false;
    bool acceptedSome = false;
    for (const FindingKind kind : kinds) {
        switch (findingSeverity(kind, revocationAsked)) {
        case FindingSeverity::Failed:
            if (chainRule != AcceptanceRule::None && untrustedChainKind(kind))
                acceptedSome = true;
            else
                failed = true;
            break;
        case FindingSeverity::Weak:
            weak = true;
            break;
        case FindingSeverity::Hygiene:
            break;
        }
    }
    if (failed) {
        verdict.level = TrustLevel::Failed;
        return verdict;
    }
    // A weak key under an accepted private root is still weak: the acceptance is about who
    // vouches for the chain, not about its strength.
    if (weak) {
        verdict.level = TrustLevel::Weak;
        return verdict;
    }
    if (acceptedSome)
        return accepted(chainRule);
    return verdict;
}

void checkPins(TrustReport &report, const CertificateInfo &leaf,
               const TrustAcceptance &acceptance) {
    const QString source = acceptance.fromTag.isEmpty()
                               ? TrustText::tr("the target")
                               : TrustText::tr("tag %1").arg(acceptance.fromTag);
    if (!acceptance.pinSha256.isEmpty() &&
        canonicalSha256(leaf.sha256Fingerprint) != canonicalSha256(acceptance.pinSha256)) {
        report.add(FindingKind::PinMismatch,
                   TrustText::tr("pin mismatch: the certificate's SHA-256 is %1, %2 pins %3")
                       .arg(leaf.sha256Fingerprint, source, acceptance.pinSha256));
    }
    if (!acceptance.pinIssuer.isEmpty() && !issuerMatches(leaf, acceptance.pinIssuer)) {
        report.add(FindingKind::PinMismatch,
                   TrustText::tr("pin mismatch: the certificate is issued by %1, %2 pins %3")
                       .arg(leaf.issuer, source, acceptance.pinIssuer));
    }
}

QString trustReason(const QList<FindingKind> &kinds) {
    QStringList words;
    for (const FindingSeverity severity :
         {FindingSeverity::Failed, FindingSeverity::Weak, FindingSeverity::Hygiene}) {
        for (const FindingKind kind : kinds) {
            const QString label = findingKindLabel(kind);
            if (findingSeverity(kind) == severity && !words.contains(label))
                words << label;
        }
    }
    return words.join(QStringLiteral(", "));
}

} // namespace certdash
