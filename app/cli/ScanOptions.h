#pragma once

#include "domain/ExpiryPolicy.h"
#include "inventory/TargetParser.h"
#include "probing/ProbeEngine.h"
#include "reports/Report.h"
#include "storage/Retention.h"

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <optional>

namespace certdash {
struct ProbeOptions;
class SecretStore;
} // namespace certdash

namespace certdash::cli {

// Everything `certdash scan` was asked to do, validated.
struct ScanOptions
{
    QString targetsPath;  // "-" = stdin; empty = the stored inventory
    QString databasePath; // empty = the default store
    TargetFormat inputFormat = TargetFormat::Auto;
    ReportFormat format = ReportFormat::Csv;
    QString outputPath; // empty = stdout
    int concurrency = 32;
    int timeoutMs = 10000;
    ProbeEngine engine = ProbeEngine::OpenSsl;
    // --check-revocation: ask each leaf's OCSP responder, else its CRL (scans of the stored
    // inventory also when Settings' probing/check_revocation is on).
    bool checkRevocation = false;
    ExpiryPolicy policy;
    QStringList caFiles;
    bool systemAnchors = true;
    // Mutual TLS: the client certificate (PEM or PKCS#12) and its key (PEM; empty when the
    // certificate file holds it). Never a passphrase: that comes from the keychain or the
    // environment (ClientIdentity::load).
    QString clientCertPath;
    QString clientKeyPath;
    bool quiet = false;
    bool record = false; // results go to the store's history (scans of the stored inventory)
    RetentionPolicy retention; // applied after recording
    // Alerts (scans of the stored inventory only): desktop notifications for new crossings, and
    // the event log file (unset: the Settings value, by default <dataDirectory()>/events.jsonl).
    bool notify = false;
    std::optional<QString> eventLogPath;
    // --proxy URL ("none" turns proxies off); unset: the environment's (https_proxy, all_proxy,
    // no_proxy). --no-proxy: no proxy at all.
    std::optional<QString> proxy;
    bool noProxy = false;
};

struct ScanArguments
{
    std::optional<ScanOptions> options; // set when the arguments are valid
    bool helpRequested = false;
    QString error; // set when they are not: one line naming the option and the problem
};

// Parses the arguments that follow `certdash scan`. Pure: no I/O.
ScanArguments parseScanArguments(const QStringList &arguments);
QString scanUsage();

// Sets probeOptions.proxy from --proxy / --no-proxy and the environment (https_proxy, all_proxy,
// no_proxy), with the password of a proxy that names a user from the keychain (store; null until
// the keychain is wired in) or else CERTDASH_PROXY_PASSWORD. False, with *error, for a bad proxy
// URL or a missing password: nothing is probed then.
bool applyScanProxy(ProbeOptions &probeOptions, const ScanOptions &options,
                    const QProcessEnvironment &environment, SecretStore *store, QString *error);

} // namespace certdash::cli
