#pragma once

#include "domain/Clock.h"
#include "domain/ExpiryPolicy.h"

#include <memory>

namespace certdash {

class TrustStore;

// What every probe of one scan shares. Built once per scan: the trust store in particular is
// expensive to load and must never be rebuilt per probe.
struct ProbeOptions
{
    int timeoutMs = 10000; // bounds the whole probe: connect, STARTTLS, handshake
    ExpiryPolicy policy;
    std::shared_ptr<const TrustStore> anchors; // null: chains are read but not verified
    std::shared_ptr<const Clock> clock = std::make_shared<SystemClock>();
};

} // namespace certdash
