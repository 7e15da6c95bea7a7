#pragma once

#include "CertificateInfo.h"
#include "ExpiryPolicy.h"
#include "Status.h"
#include "Target.h"
#include "TrustReport.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>

#include <optional>

namespace certdash {

// The outcome of probing one (target, address). One report row each.
struct ProbeResult
{
    Target target;
    QString address; // the IP probed; "" when resolution failed
    QString sni;     // the server name sent; "" when none
    Status status = Status::Unreachable;
    QString error; // readable, for failures: "connection refused", "DNS: host not found"
    QString tlsVersion; // "TLSv1.3"
    QString cipher;     // "TLS_AES_256_GCM_SHA384"
    QList<CertificateInfo> chain; // as presented, leaf first
    TrustReport trust;
    // The trust level of trust under the target's acceptance; meaningful with a certificate.
    TrustVerdict trustVerdict;

    // The limiting certificate (earliest notAfter on the path clients use).
    std::optional<CertificateInfo> limiting;
    QString limitingRole; // "leaf", "intermediate", "root"
    std::optional<int> daysLeft;

    QDateTime probedAt; // UTC, when the probe started
    qint64 durationMs = 0;

    // Every address this result's round probed for the target (the name's addresses at this
    // lookup, or the pinned ones; {""} when resolution failed), so that a view knows which of
    // its older rows the name no longer resolves to. Empty when not known (read from a store).
    QStringList roundAddresses;

    // "" for CertDash's own probe; else the Prometheus base URL a fleet row was read from
    // (`certdash fleet read`, app/fleet/FleetReader.h). A fleet row carries what
    // blackbox_exporter exports: its chain is a leaf without DER (subject, issuer, SHA-256, SAN)
    // and trust is not judged (trustLevelOf() is nullopt).
    QString source;
    bool isFleetRow() const { return !source.isEmpty(); }
    // A fleet row's exporter (its `exporter` label, host:port) when several exporters probe the
    // same address (every exporter probes every target: one row per vantage point, so that a
    // zone that cannot reach it is seen); "" otherwise.
    QString vantage;

    bool hasCertificate() const { return !chain.isEmpty(); }
    const CertificateInfo *leaf() const { return chain.isEmpty() ? nullptr : &chain.first(); }
};

// The trust level of a result, nullopt when no certificate was read (nothing to trust) or the
// row was read from the fleet (blackbox_exporter reads without verifying: not judged).
std::optional<TrustLevel> trustLevelOf(const ProbeResult &result);
// Trust as alerts and the status cell weigh it: an expired or not-yet-valid certificate on the
// path already is the status `expired`/`not_yet_valid`, so those findings alone do not make a
// second, trust alert ("expired" and "not trusted: expired" for one certificate). Other failing
// findings still do; weak ones leave it weak.
std::optional<TrustLevel> trustBeyondExpiry(const ProbeResult &result);
// The finding kinds other than an expired or not-yet-valid certificate.
QList<FindingKind> kindsBeyondExpiry(const QList<FindingKind> &kinds);

// The path clients use: the verified path when one reaches an anchor, else the path built from
// the leaf through the sent certificates, else (nothing verified) the presented chain.
QList<CertificateInfo> clientPath(const ProbeResult &result);

// Fills status, limiting, limitingRole and daysLeft from chain and trust, checks the target's
// pins and sets trustVerdict (pure; failures keep their status).
void applyClassification(ProbeResult &result, const ExpiryPolicy &policy, const QDateTime &now);

} // namespace certdash

// Results cross threads (the dashboard probes in a worker thread) through queued signals.
Q_DECLARE_METATYPE(certdash::ProbeResult)
