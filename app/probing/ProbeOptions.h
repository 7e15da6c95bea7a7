#pragma once

#include "CertificateCache.h"
#include "ProxySettings.h"
#include "ProbeEngine.h"
#include "domain/Clock.h"
#include "domain/ExpiryPolicy.h"

#include <memory>

namespace certdash {

class ClientIdentity;
class HostResolver;
class TrustStore;

// What every probe of one scan shares. Built once per scan: the trust store in particular is
// expensive to load and must never be rebuilt per probe.
struct ProbeOptions
{
    // Bounds the whole probe of one address, from the start of its name's resolution to the
    // end of its close: resolve, connect, STARTTLS, handshake, close_notify.
    int timeoutMs = 10000;
    ExpiryPolicy policy;
    std::shared_ptr<const TrustStore> anchors; // null: chains are read but not verified
    std::shared_ptr<const Clock> clock = std::make_shared<SystemClock>();
    std::shared_ptr<HostResolver> resolver; // null: the system's (getaddrinfo), abandonable
    // The presented CA certificates, decoded once for every probe made with these options (all
    // copies share it; bounded, so a long-lived GUI session keeps at most 512).
    std::shared_ptr<CertificateCache> certificates = std::make_shared<CertificateCache>();
    // The proxy every connection goes through (unless no_proxy exempts its host); none: direct.
    ProxySettings proxy;
    // Which TLS client does the handshakes (--engine, Settings probing/engine).
    ProbeEngine engine = ProbeEngine::OpenSsl;
    // The client certificate presented to servers that ask for one (mutual TLS), loaded once per
    // scan (ClientIdentity::load); null: none, and a server that asks gets an empty answer.
    std::shared_ptr<const ClientIdentity> clientIdentity;
};

} // namespace certdash
