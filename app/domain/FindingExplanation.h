#pragma once

#include <QString>

namespace certdash {

// A trust finding ("incomplete chain: issuer of CN=x (CN=y) was not sent") explained in plain
// words for the details pane: what it means for clients and what to do. Empty for a finding it
// does not know.
QString explainFinding(const QString &finding);

} // namespace certdash
