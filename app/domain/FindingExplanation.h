#pragma once

#include "Trust.h"

#include <QList>
#include <QString>

namespace certdash {

// A kind of trust finding (the kind of "incomplete chain: issuer of CN=x (CN=y) was not sent")
// explained in plain words for the details pane: what it means for clients and what to do.
// Empty for a kind it has no words for (Other).
QString explainFinding(FindingKind kind);

// The trust verdict in one sentence for the details pane: whether clients trust the endpoint,
// why not, and whether (and by which acceptance, of the target or of which tag) it is accepted.
QString explainTrustVerdict(const TrustVerdict &verdict, const QList<FindingKind> &kinds);

} // namespace certdash
