#include "TagPolicy.h"

#include <algorithm>
#include <tuple>
#include <utility>

namespace certdash {

namespace {
// Folds one tag's value into the running choice with `better` deciding which is more cautious.
template<class Better>
void fold(std::optional<int> &chosen, const std::optional<int> &candidate, Better better) {
    if (candidate && (!chosen || better(*candidate, *chosen)))
        chosen = candidate;
}
} // namespace

ExpiryPolicy effectivePolicy(const ExpiryPolicy &global, const QList<TagPolicy> &tagPolicies,
                             const Target &target) {
    std::optional<int> warning;
    std::optional<int> critical;
    std::optional<int> rotation;
    for (const TagPolicy &policy : tagPolicies) {
        if (!target.tags.contains(policy.tag))
            continue;
        fold(warning, policy.warningDays, std::greater<int>());
        fold(critical, policy.criticalDays, std::greater<int>());
        fold(rotation, policy.rotationDays, std::less<int>());
    }

    ExpiryPolicy result = global;
    if (const auto w = target.warningDays ? target.warningDays : warning)
        result.warningDays = *w;
    if (const auto c = target.criticalDays ? target.criticalDays : critical)
        result.criticalDays = *c;
    if (const auto r = target.rotationDays ? target.rotationDays : rotation)
        result.rotationDays = r;
    return result;
}

TrustAcceptance effectiveAcceptance(const QList<TagPolicy> &tagPolicies, const Target &target) {
    if (!target.acceptance.isEmpty()) {
        TrustAcceptance own = target.acceptance;
        own.fromTag.clear();
        return own;
    }
    std::optional<TrustAcceptance> chosen;
    for (const TagPolicy &policy : tagPolicies) {
        if (policy.acceptance.isEmpty() || !target.tags.contains(policy.tag))
            continue;
        TrustAcceptance candidate = policy.acceptance;
        candidate.fromTag = policy.tag;
        if (!chosen) {
            chosen = candidate;
            continue;
        }
        candidate.fromTag = chosen->fromTag;
        if (candidate != *chosen)
            return {}; // tags disagree
    }
    return chosen.value_or(TrustAcceptance());
}

} // namespace certdash

namespace certdash {

namespace {
// One part of the connection settings decided over the levels: the target's, else the tags'
// (all that set it agree), else the global one; `part` reads it from a level. A proxy of
// "direct" is a value like any other, so it stops inheritance where it is set.
template<class Part>
Part chooseConnectionPart(const Part &global, const QList<TagPolicy> &tagPolicies,
                          const Target &target, Part (*part)(const ConnectionSettings &)) {
    const Part own = part(target.connection);
    if (own != Part())
        return own;
    std::optional<Part> fromTags;
    bool disagree = false;
    for (const TagPolicy &policy : tagPolicies) {
        const Part candidate = part(policy.connection);
        if (candidate == Part() || !target.tags.contains(policy.tag))
            continue;
        if (fromTags && *fromTags != candidate)
            disagree = true;
        fromTags = candidate;
    }
    if (fromTags && !disagree)
        return *fromTags;
    return global;
}

using CertificatePart = std::pair<QString, QString>;
CertificatePart certificatePart(const ConnectionSettings &c) {
    return {c.clientCertificate, c.clientKey};
}
QString proxyPart(const ConnectionSettings &c) {
    return c.proxy;
}
} // namespace

ConnectionSettings effectiveConnection(const ConnectionSettings &global,
                                       const QList<TagPolicy> &tagPolicies, const Target &target) {
    ConnectionSettings result;
    std::tie(result.clientCertificate, result.clientKey) =
        chooseConnectionPart(certificatePart(global), tagPolicies, target, &certificatePart);
    result.proxy = chooseConnectionPart(proxyPart(global), tagPolicies, target, &proxyPart);
    return result;
}

std::optional<bool> effectiveRevocationCheck(const QList<TagPolicy> &tagPolicies,
                                             const Target &target) {
    if (target.checkRevocation)
        return target.checkRevocation;
    std::optional<bool> chosen;
    for (const TagPolicy &policy : tagPolicies) {
        if (!policy.checkRevocation || !target.tags.contains(policy.tag))
            continue;
        if (!*policy.checkRevocation)
            return false; // "no" wins
        chosen = true;
    }
    return chosen;
}

} // namespace certdash
