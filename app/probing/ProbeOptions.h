#pragma once

#include "CertificateCache.h"
#include "RevocationCache.h"
#include "ProxySettings.h"
#include "ProbeEngine.h"
#include "domain/Clock.h"
#include "domain/ExpiryPolicy.h"

#include <QHash>
#include <QStringList>

#include <memory>

namespace certdash {

class ClientIdentity;
class SecretStore;
struct Target;
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
    // The client certificates targets (or their tags) name themselves, keyed by
    // clientIdentityKey(): loaded once per scan by addTargetIdentities, shared by their probes.
    QHash<QString, std::shared_ptr<const ClientIdentity>> targetIdentities;
    // Online revocation checks (the leaf's OCSP responder, else its CRL) for targets that do not
    // say otherwise (--check-revocation, Settings probing/check_revocation); off by default. The
    // stapled OCSP response is always read: it costs no request.
    bool checkRevocation = false;
    // Bounds each revocation request (OCSP, then CRL): at most twice this per probe.
    int revocationTimeoutMs = 5000;
    // The answers every probe made with these options shares (all copies share it).
    std::shared_ptr<RevocationCache> revocationCache = std::make_shared<RevocationCache>();

    // Whether a probe of `target` checks revocation online: the target's effective setting (its
    // own, else its tags', see Target::checkRevocation), else checkRevocation.
    bool checksRevocation(const Target &target) const;

    // The identity a probe of `target` presents: its own (or its tags') when it names one, else
    // the scan's; null: none.
    const ClientIdentity *identityFor(const Target &target) const;
};

// The key of a target's client certificate in ProbeOptions::targetIdentities.
QString clientIdentityKey(const QString &certificatePath, const QString &keyPath);

// Loads every client certificate the targets name (their effective connection) into
// options.targetIdentities, each file once, passphrases from the keychain (else
// CERTDASH_CLIENT_KEY_PASSPHRASE). Returns the problems, one per certificate, naming a target that
// uses it; a scan must not start with any, or a target would silently present nothing.
QStringList addTargetIdentities(ProbeOptions &options, const QList<Target> &targets,
                                SecretStore *store);

} // namespace certdash
