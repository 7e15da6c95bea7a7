#include "ScanOptions.h"

#include "CommandStreams.h"
#include "probing/ProbeOptions.h"
#include "probing/ProxySettings.h"
#include "inventory/InputText.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cmath>

namespace certdash::cli {

namespace {
struct ScanText
{
    Q_DECLARE_TR_FUNCTIONS(certdash::cli::Scan)
};

struct Parser
{
    QCommandLineParser parser;
    QCommandLineOption targets{QStringList{QStringLiteral("t"), QStringLiteral("targets")},
                               ScanText::tr("Targets to probe: a line-format, CSV, JSON or kubectl "
                                  "file, or - for standard input. Without it, the stored "
                                  "inventory is probed and the results are recorded."),
                               ScanText::tr("FILE")};
    QCommandLineOption inputFormat{QStringLiteral("input-format"),
                                   ScanText::tr("Format of the targets file: auto (default), lines, csv, "
                                      "json."),
                                   ScanText::tr("FORMAT"), QStringLiteral("auto")};
    QCommandLineOption format{QStringList{QStringLiteral("f"), QStringLiteral("format")},
                              ScanText::tr("Report format: csv (default), json, prometheus."), ScanText::tr("FORMAT"),
                              QStringLiteral("csv")};
    QCommandLineOption output{QStringList{QStringLiteral("o"), QStringLiteral("output")},
                              ScanText::tr("Write the report to FILE (atomically) instead of standard "
                                 "output."),
                              ScanText::tr("FILE")};
    QCommandLineOption concurrency{QStringLiteral("concurrency"),
                                   ScanText::tr("Probes in flight at once (default 32)."), ScanText::tr("N"),
                                   QStringLiteral("32")};
    QCommandLineOption timeout{QStringLiteral("timeout"),
                               ScanText::tr("Seconds one probe may take in all: connect, STARTTLS and "
                                  "handshake (default 10)."),
                               ScanText::tr("SECONDS"), QStringLiteral("10")};
    QCommandLineOption engine{QStringLiteral("engine"),
                              ScanText::tr("TLS client doing the handshakes: openssl (default, "
                                           "fastest) or qt (QSslSocket, the cross-check)."),
                              ScanText::tr("ENGINE"), QStringLiteral("openssl")};
    QCommandLineOption checkRevocation{
        QStringLiteral("check-revocation"),
        ScanText::tr("Also ask each certificate's OCSP responder (else its CRL) whether it was "
                     "revoked; one CRL download serves every certificate of a CA. The stapled "
                     "OCSP response is read either way.")};
    QCommandLineOption warning{QStringLiteral("warning"),
                               ScanText::tr("Warn when fewer days are left (default 30; at most a third of "
                                  "the certificate's lifetime)."),
                               ScanText::tr("DAYS"), QStringLiteral("30")};
    QCommandLineOption critical{QStringLiteral("critical"),
                                ScanText::tr("Critical when fewer days are left (default 7; at most a sixth "
                                   "of the certificate's lifetime)."),
                                ScanText::tr("DAYS"), QStringLiteral("7")};
    QCommandLineOption rotation{QStringLiteral("rotation"),
                                ScanText::tr("Expected rotation period: rotation_overdue when days left < "
                                   "lifetime - DAYS. Targets' rotation= overrides it."),
                                ScanText::tr("DAYS")};
    QCommandLineOption caFile{QStringLiteral("ca-file"),
                              ScanText::tr("Also trust the CA certificates in this PEM file (repeatable)."),
                              ScanText::tr("PEM")};
    QCommandLineOption noSystemCa{QStringLiteral("no-system-ca"),
                                  ScanText::tr("Trust only --ca-file anchors, not the system store.")};
    QCommandLineOption clientCert{
        QStringLiteral("client-cert"),
        ScanText::tr("Present this client certificate to servers that ask for one (mutual TLS): "
                     "PEM (with --client-key, or the key in the same file) or PKCS#12. An "
                     "encrypted key's passphrase comes from the keychain or "
                     "CERTDASH_CLIENT_KEY_PASSPHRASE, never from the command line."),
        ScanText::tr("FILE")};
    QCommandLineOption clientKey{QStringLiteral("client-key"),
                                 ScanText::tr("The private key of --client-cert (PEM, may be "
                                              "encrypted)."),
                                 ScanText::tr("FILE")};
    QCommandLineOption quiet{QStringList{QStringLiteral("q"), QStringLiteral("quiet")},
                             ScanText::tr("No progress and no summary on standard error.")};
    QCommandLineOption keepAll{QStringLiteral("keep-all-days"),
                               ScanText::tr("History: keep every probe this many days (default "
                                            "30)."),
                               ScanText::tr("DAYS"), QStringLiteral("30")};
    QCommandLineOption keepDaily{QStringLiteral("keep-daily-days"),
                                 ScanText::tr("History: then keep one probe a day per target "
                                              "address up to this age (default 730)."),
                                 ScanText::tr("DAYS"), QStringLiteral("730")};
    QCommandLineOption notify{QStringLiteral("notify"),
                              ScanText::tr("Also show new threshold crossings as desktop "
                                           "notifications (stored inventory only).")};
    QCommandLineOption eventLog{QStringLiteral("event-log"),
                                ScanText::tr("Append threshold crossings as JSON lines to FILE "
                                             "(default: the event log in Settings; \"\" for "
                                             "none; stored inventory only)."),
                                ScanText::tr("FILE")};
    QCommandLineOption proxy{QStringLiteral("proxy"),
                             ScanText::tr("Probe through this proxy: http://[USER@]HOST:PORT (HTTP "
                                          "CONNECT), socks5://[USER@]HOST:PORT, or socks5h:// "
                                          "(the proxy resolves names); none for no proxy. No "
                                          "password here: `certdash secret set proxy:URL` or "
                                          "CERTDASH_PROXY_PASSWORD. Default: https_proxy, "
                                          "all_proxy and no_proxy from the environment."),
                             ScanText::tr("URL")};
    QCommandLineOption noProxy{QStringLiteral("no-proxy"),
                               ScanText::tr("Connect directly, whatever the environment says.")};
    QCommandLineOption database = databaseOption();
    QCommandLineOption help{QStringList{QStringLiteral("h"), QStringLiteral("help")},
                            ScanText::tr("Show this help.")};

    Parser()
    {
        parser.setApplicationDescription(
            ScanText::tr("Probe TLS endpoints and report their certificates.\n\n"
               "Exit codes: 0 all ok; 1 worst is warning or rotation_overdue; 2 worst is "
               "critical, expired or not_yet_valid, or a probe failed; 3 usage or input error."));
        parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
        parser.addOptions({targets, inputFormat, format, output, concurrency, timeout, engine,
                           checkRevocation,
                           warning, critical, rotation, caFile, noSystemCa, clientCert, clientKey,
                           quiet, database, keepAll, keepDaily, notify, eventLog, proxy, noProxy,
                           help});
    }
};

std::optional<int> wholeNumber(const QString &text, int min, int max)
{
    bool ok = false;
    const int value = text.trimmed().toInt(&ok);
    if (!ok || value < min || value > max)
        return std::nullopt;
    return value;
}
} // namespace

QString scanUsage()
{
    Parser p;
    QString text = p.parser.helpText();
    // QCommandLineParser names the executable; the subcommand belongs in the usage line.
    const int end = text.indexOf(QLatin1Char('\n'));
    return ScanText::tr("Usage: certdash scan [--targets FILE | --database FILE] [options]")
        + text.mid(end);
}

ScanArguments parseScanArguments(const QStringList &arguments)
{
    Parser p;
    ScanArguments result;
    // QCommandLineParser expects the program name first.
    if (!p.parser.parse(QStringList{QStringLiteral("certdash scan")} + arguments)) {
        result.error = p.parser.errorText();
        return result;
    }
    if (p.parser.isSet(p.help)) {
        result.helpRequested = true;
        return result;
    }
    if (!p.parser.positionalArguments().isEmpty()) {
        result.error = ScanText::tr("unexpected argument '%1'").arg(p.parser.positionalArguments().first());
        return result;
    }

    ScanOptions o;
    o.targetsPath = p.parser.value(p.targets);
    o.databasePath = p.parser.value(p.database);
    if (p.parser.isSet(p.targets) && o.targetsPath.isEmpty()) {
        result.error = ScanText::tr("--targets needs a file name (use - for standard input)");
        return result;
    }
    if (!o.targetsPath.isEmpty() && !o.databasePath.isEmpty()) {
        result.error = ScanText::tr("give either --targets FILE (no database) or --database FILE "
                                    "(its stored inventory), not both");
        return result;
    }
    if (const auto f = targetFormatFromKey(p.parser.value(p.inputFormat))) {
        o.inputFormat = *f;
    } else {
        result.error = ScanText::tr("--input-format: unknown format '%1' (expected one of: %2)")
                           .arg(p.parser.value(p.inputFormat), targetFormatKeys().join(u", "));
        return result;
    }
    if (const auto f = reportFormatFromName(p.parser.value(p.format))) {
        o.format = *f;
    } else {
        result.error = ScanText::tr("--format: unknown format '%1' (expected one of: %2)")
                           .arg(p.parser.value(p.format), reportFormatNames().join(u", "));
        return result;
    }
    o.outputPath = p.parser.value(p.output);

    if (const auto n = wholeNumber(p.parser.value(p.concurrency), 1, 10000)) {
        o.concurrency = *n;
    } else {
        result.error = ScanText::tr("--concurrency: expected a whole number from 1 to 10000, got '%1'")
                           .arg(p.parser.value(p.concurrency));
        return result;
    }
    bool ok = false;
    const double seconds = p.parser.value(p.timeout).toDouble(&ok);
    if (!ok || !std::isfinite(seconds) || seconds <= 0 || seconds > 3600) {
        result.error = ScanText::tr("--timeout: expected seconds between 0 and 3600, got '%1'")
                           .arg(p.parser.value(p.timeout));
        return result;
    }
    o.timeoutMs = std::max(1, int(std::lround(seconds * 1000)));
    o.checkRevocation = p.parser.isSet(p.checkRevocation);
    if (const auto engine = parseProbeEngine(p.parser.value(p.engine))) {
        o.engine = *engine;
    } else {
        result.error = ScanText::tr("--engine: expected openssl or qt, got %1")
                           .arg(inventory::quoteExcerpt(p.parser.value(p.engine)));
        return result;
    }

    const auto days = [&](const QCommandLineOption &option, const QString &name, int min,
                          int &out) {
        if (const auto n = wholeNumber(p.parser.value(option), min, 36500)) {
            out = *n;
            return true;
        }
        result.error = ScanText::tr("--%1: expected a whole number of days, got '%2'")
                           .arg(name, p.parser.value(option));
        return false;
    };
    if (!days(p.warning, QStringLiteral("warning"), 0, o.policy.warningDays)
        || !days(p.critical, QStringLiteral("critical"), 0, o.policy.criticalDays))
        return result;
    if (o.policy.criticalDays > o.policy.warningDays) {
        result.error = ScanText::tr("--critical (%1 days) must not exceed --warning (%2 days)")
                           .arg(o.policy.criticalDays)
                           .arg(o.policy.warningDays);
        return result;
    }
    if (p.parser.isSet(p.rotation)) {
        int rotation = 0;
        if (!days(p.rotation, QStringLiteral("rotation"), 1, rotation))
            return result;
        o.policy.rotationDays = rotation;
    }
    if (!days(p.keepAll, QStringLiteral("keep-all-days"), 1, o.retention.keepAllDays)
        || !days(p.keepDaily, QStringLiteral("keep-daily-days"), 1, o.retention.keepDailyDays))
        return result;
    if (o.retention.keepDailyDays < o.retention.keepAllDays) {
        result.error = ScanText::tr("--keep-daily-days must not be shorter than --keep-all-days");
        return result;
    }
    o.caFiles = p.parser.values(p.caFile);
    o.systemAnchors = !p.parser.isSet(p.noSystemCa);
    if (!o.systemAnchors && o.caFiles.isEmpty()) {
        result.error = ScanText::tr("--no-system-ca needs at least one --ca-file");
        return result;
    }
    o.clientCertPath = p.parser.value(p.clientCert);
    o.clientKeyPath = p.parser.value(p.clientKey);
    if (p.parser.isSet(p.clientCert) && o.clientCertPath.isEmpty()) {
        result.error = ScanText::tr("--client-cert needs a file name");
        return result;
    }
    if (!o.clientKeyPath.isEmpty() && o.clientCertPath.isEmpty()) {
        result.error = ScanText::tr("--client-key needs --client-cert (the certificate that goes "
                                    "with the key)");
        return result;
    }
    o.quiet = p.parser.isSet(p.quiet);
    o.notify = p.parser.isSet(p.notify);
    if (p.parser.isSet(p.eventLog))
        o.eventLogPath = p.parser.value(p.eventLog);
    if (!o.targetsPath.isEmpty() && (o.notify || o.eventLogPath)) {
        // A targets file has no stored state: every scan of it would announce everything again.
        result.error = ScanText::tr("--notify and --event-log track the stored inventory; they "
                                    "cannot be used with --targets");
        return result;
    }
    if (p.parser.isSet(p.proxy)) {
        o.proxy = p.parser.value(p.proxy);
        if (o.proxy->trimmed().compare(QLatin1String("none"), Qt::CaseInsensitive) != 0) {
            const ProxyUrlParse parsed = parseProxyUrl(*o.proxy, QStringLiteral("--proxy"));
            if (!parsed.server) {
                result.error = parsed.error;
                return result;
            }
        }
    }
    o.noProxy = p.parser.isSet(p.noProxy);
    if (o.noProxy && o.proxy) {
        result.error = ScanText::tr("give either --proxy URL or --no-proxy, not both");
        return result;
    }
    result.options = o;
    return result;
}

bool applyScanProxy(ProbeOptions &probeOptions, const ScanOptions &options,
                    const QProcessEnvironment &environment, SecretStore *store, QString *error)
{
    ProxyChoice choice = chooseProxy(options.proxy, options.noProxy, environment);
    if (!choice.settings) {
        *error = choice.error;
        return false;
    }
    if (const QString missing = attachProxyPassword(*choice.settings, store); !missing.isEmpty()) {
        *error = missing;
        return false;
    }
    probeOptions.proxy = *choice.settings;
    return true;
}

} // namespace certdash::cli
