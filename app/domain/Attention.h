#pragma once

#include "ProbeResult.h"

namespace certdash {

// What the window's "Needs attention" shows (and its status bar and the tray count, and the
// evidence report lists): any status but ok, or a certificate clients refuse for a reason its
// status does not already say (trustBeyondExpiry). Pure.
inline bool needsAttention(const ProbeResult &result) {
    return result.status != Status::Ok || trustBeyondExpiry(result) == TrustLevel::Failed;
}

} // namespace certdash
