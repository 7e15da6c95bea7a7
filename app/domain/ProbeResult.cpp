#include "ProbeResult.h"

#include "ExpiryPolicy.h"

namespace certdash {

QList<CertificateInfo> clientPath(const ProbeResult &result)
{
    if (result.trust.pathToAnchor && !result.trust.verifiedPath.isEmpty())
        return result.trust.verifiedPath;
    if (!result.trust.builtPath.isEmpty() && !result.chain.isEmpty() &&
        result.trust.builtPath.first().der == result.chain.first().der)
        return result.trust.builtPath;
    return result.chain;
}

std::optional<TrustLevel> trustLevelOf(const ProbeResult &result)
{
    if (!result.hasCertificate() || result.isFleetRow())
        return std::nullopt;
    return result.trustVerdict.level;
}

QList<FindingKind> kindsBeyondExpiry(const QList<FindingKind> &kinds)
{
    QList<FindingKind> rest;
    for (const FindingKind kind : kinds) {
        if (kind != FindingKind::ExpiredInChain && kind != FindingKind::NotYetValidInChain)
            rest << kind;
    }
    return rest;
}

std::optional<TrustLevel> trustBeyondExpiry(const ProbeResult &result)
{
    const std::optional<TrustLevel> level = trustLevelOf(result);
    if (level != TrustLevel::Failed)
        return level;
    // Failed stays failed while any other failing finding remains; an acceptance never accepts
    // the validity kinds, so what is left is judged by its own severities.
    bool weak = false;
    for (const FindingKind kind : kindsBeyondExpiry(result.trust.kinds)) {
        const FindingSeverity severity = findingSeverity(kind);
        if (severity == FindingSeverity::Failed)
            return level;
        weak = weak || severity == FindingSeverity::Weak;
    }
    return weak ? TrustLevel::Weak : TrustLevel::Trusted;
}

void applyClassification(ProbeResult &result, const ExpiryPolicy &policy, const QDateTime &now)
{
    if (!result.hasCertificate())
        return;
    if (!result.trust.kinds.contains(FindingKind::PinMismatch))
        checkPins(result.trust, *result.leaf(), result.target.acceptance);
    result.trustVerdict = trustVerdict(result.trust.kinds, result.target.acceptance);
    const QList<CertificateInfo> path = clientPath(result);
    const ExpiryPolicy p = policy.forTarget(result.target);
    const int index = limitingIndex(path);
    if (index < 0)
        return;
    result.limiting = path.at(index);
    if (index == 0)
        result.limitingRole = QStringLiteral("leaf");
    else if (index == path.size() - 1 && path.at(index).selfIssued)
        result.limitingRole = QStringLiteral("root");
    else
        result.limitingRole = QStringLiteral("intermediate");
    // Never a made-up number: an unreadable notAfter has no days left to count.
    if (path.at(index).notAfterUnreadable())
        result.daysLeft.reset();
    else
        result.daysLeft = daysLeft(path.at(index).notAfter, now);
    result.status = classify(path, p, now);
    // The status an unreadable time forces comes with its reason.
    const QStringList unreadable = unreadableTimes(path);
    if (!unreadable.isEmpty() && result.error.isEmpty())
        result.error = unreadable.join(QStringLiteral("; "));
}

} // namespace certdash
