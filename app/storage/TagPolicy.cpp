#include "TagPolicy.h"

#include <algorithm>

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
