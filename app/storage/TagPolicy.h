#pragma once

#include "domain/ExpiryPolicy.h"
#include "domain/Target.h"

#include <QList>
#include <QString>

#include <optional>

namespace certdash {

// How a group of targets shares thresholds: a tag may carry defaults. A target with several
// tags that set the same threshold gets the most cautious one, so adding a tag can only make
// alerts earlier, never silence one that another tag asked for.
//
// Precedence, per threshold: the target's own value, else the tags' (most cautious), else the
// global setting.
struct TagPolicy {
    QString tag;
    std::optional<int> warningDays;
    std::optional<int> criticalDays;
    std::optional<int> rotationDays;
    // Trust acceptance for the tag's targets (fromTag unused here).
    TrustAcceptance acceptance = {};
    // Client certificate and proxy for the tag's targets.
    ConnectionSettings connection = {};
    // Online revocation checks for the tag's targets (check_revocation); none: no say.
    std::optional<bool> checkRevocation = {};

    bool operator==(const TagPolicy &other) const {
        return tag == other.tag && warningDays == other.warningDays &&
               criticalDays == other.criticalDays && rotationDays == other.rotationDays &&
               acceptance == other.acceptance && connection == other.connection &&
               checkRevocation == other.checkRevocation;
    }
    bool operator!=(const TagPolicy &other) const { return !(*this == other); }
};

// The thresholds that apply to `target`: most cautious = largest warning, largest critical,
// shortest rotation period. Tags match exactly (case-sensitive, as stored).
ExpiryPolicy effectivePolicy(const ExpiryPolicy &global, const QList<TagPolicy> &tagPolicies,
                             const Target &target);

// The trust acceptance that applies to `target`: its own when it has one (as a whole), else the
// one its tags carry (fromTag names the tag). Tags that carry different acceptances cancel out:
// nothing is accepted, so a conflict alerts rather than silences.
TrustAcceptance effectiveAcceptance(const QList<TagPolicy> &tagPolicies, const Target &target);

// The client certificate and proxy that apply to `target`, each decided on its own: the target's
// own, else the one its tags set (when they agree; tags that set different ones cancel out), else
// `global` (the settings). The certificate and its key go together. A proxy of "direct" at any
// level means no proxy, whatever the levels below say.
ConnectionSettings effectiveConnection(const ConnectionSettings &global,
                                       const QList<TagPolicy> &tagPolicies, const Target &target);

// Whether a probe of `target` asks the responder or CRL online: the target's own choice, else its
// tags' where any tag's "no" wins over another's "yes" (a tag marking an offline network must not
// be overridden by a tag that happens to want checks), else none: the global setting decides
// (ProbeOptions::checksRevocation).
std::optional<bool> effectiveRevocationCheck(const QList<TagPolicy> &tagPolicies,
                                             const Target &target);

} // namespace certdash
