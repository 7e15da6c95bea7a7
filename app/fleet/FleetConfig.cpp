#include "FleetConfig.h"

#include "YamlText.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QUrl>

namespace certdash::fleet {

namespace {
struct FleetText {
    Q_DECLARE_TR_FUNCTIONS(certdash::fleet)
};

// One step of a blackbox tcp query_response dialogue.
struct Step {
    QString expect;
    QString send;
    bool startTls = false;
};

// The STARTTLS dialogues blackbox's tcp prober can hold: it reads whole lines, matches each
// against `expect`, sends `send` plus "\n" (so "\r" ends a line with CRLF), and `starttls`
// upgrades the connection. The expectations read to the end of multi-line replies ("250 ",
// "220 ") so that the next command is sent when the server listens for it.
QList<Step> dialogue(StartTls protocol) {
    switch (protocol) {
    case StartTls::Smtp:
        return {{QStringLiteral("^220 "), {}, false},
                {{}, QStringLiteral("EHLO certdash.invalid\r"), false},
                {QStringLiteral("^250 "), QStringLiteral("STARTTLS\r"), false},
                {QStringLiteral("^220"), {}, true}};
    case StartTls::Imap:
        return {{QStringLiteral("^\\* OK"), QStringLiteral("a1 STARTTLS\r"), false},
                {QStringLiteral("^a1 OK"), {}, true}};
    case StartTls::Pop3:
        return {{QStringLiteral("^\\+OK"), QStringLiteral("STLS\r"), false},
                {QStringLiteral("^\\+OK"), {}, true}};
    case StartTls::Ftp:
        return {{QStringLiteral("^220 "), QStringLiteral("AUTH TLS\r"), false},
                {QStringLiteral("^234"), {}, true}};
    default:
        return {};
    }
}

bool blackboxCanProbe(StartTls protocol) {
    return protocol == StartTls::None || !dialogue(protocol).isEmpty();
}

QString protocolWord(StartTls protocol) {
    return protocol == StartTls::None ? QStringLiteral("tls") : startTlsKey(protocol);
}

QString hostForAddress(const QString &host) {
    return host.contains(QLatin1Char(':')) ? QLatin1Char('[') + host + QLatin1Char(']') : host;
}

// Every address blackbox is given for target: its pinned addresses, else its host name.
QStringList entryAddresses(const Target &target) {
    QStringList addresses;
    if (target.addresses.isEmpty()) {
        addresses << hostForAddress(target.asciiHost()) + QLatin1Char(':') +
                         QString::number(target.port);
    } else {
        for (const QString &address : target.addresses)
            addresses << hostForAddress(address) + QLatin1Char(':') + QString::number(target.port);
    }
    return addresses;
}

QString describe(const Target &target) {
    const QString label = target.label();
    const QString hostPort = target.hostPort();
    return label == hostPort ? label : QStringLiteral("%1 (%2)").arg(label, hostPort);
}

// Why target is probed differently by blackbox (written) or not at all (unwritten).
void notesFor(const Target &target, QList<FleetNote> *notes) {
    const QString who = describe(target);
    auto add = [&](const QString &reason, bool written) {
        notes->append(FleetNote{who, reason, written});
    };
    if (!target.enabled) {
        add(FleetText::tr("disabled in the inventory: not written"), false);
        return;
    }
    if (!blackboxCanProbe(target.startTls)) {
        add(FleetText::tr("STARTTLS %1: blackbox_exporter's tcp prober cannot hold this dialogue "
                          "(it matches whole lines; %1 is binary or unterminated): not written")
                .arg(startTlsKey(target.startTls)),
            false);
        return;
    }
    if (target.noSni && target.addresses.isEmpty() && !target.hostIsAddress()) {
        add(FleetText::tr("no_sni: blackbox_exporter sends the host name as SNI when it probes a "
                          "name (pin addresses to probe without SNI): not written"),
            false);
        return;
    }
    if (target.connection.hasClientCertificate())
        add(FleetText::tr("client certificate: probed without it (blackbox_exporter would need "
                          "tls_config cert_file/key_file on its own host)"),
            true);
    if (!target.connection.proxy.isEmpty() &&
        target.connection.proxy != QLatin1String(kDirectProxy))
        add(FleetText::tr("proxy: probed directly by the exporter, not through the proxy"), true);
    if (target.acceptance.acceptSelfSigned)
        add(FleetText::tr("accept_self_signed: private CA or self-signed; blackbox_exporter reads "
                          "the certificate without verifying it (insecure_skip_verify), trust is "
                          "CertDash's to judge"),
            true);
    if (!target.acceptance.pinIssuer.isEmpty() || !target.acceptance.pinSha256.isEmpty())
        add(FleetText::tr("pin_issuer/pin_sha256: blackbox_exporter does not check pins; it reads "
                          "the certificate without verifying it (insecure_skip_verify)"),
            true);
}

bool written(const Target &target) {
    return target.enabled && blackboxCanProbe(target.startTls) &&
           !(target.noSni && target.addresses.isEmpty() && !target.hostIsAddress());
}

QString sanitized(const QString &text) {
    QString out;
    for (const QChar c : text) {
        const char16_t u = c.toLower().unicode();
        out += (u >= u'a' && u <= u'z') || (u >= u'0' && u <= u'9') ? QChar(u) : QChar(u'_');
        if (out.size() >= 40)
            break;
    }
    return out;
}

QString moduleYaml(const QString &name, const Target &target, const FleetOptions &options) {
    QString y;
    const QString sni = target.effectiveSni();
    y += QStringLiteral("  %1:\n    prober: tcp\n    timeout: %2\n    tcp:\n")
             .arg(name, formatDuration(options.timeoutMs));
    const QList<Step> steps = dialogue(target.startTls);
    if (steps.isEmpty()) {
        y += QStringLiteral("      tls: true\n");
    } else {
        y += QStringLiteral("      query_response:\n");
        for (const Step &step : steps) {
            QStringList fields;
            if (!step.expect.isEmpty())
                fields << QStringLiteral("expect: ") + yamlQuoted(step.expect);
            if (!step.send.isEmpty())
                fields << QStringLiteral("send: ") + yamlQuoted(step.send);
            if (step.startTls)
                fields << QStringLiteral("starttls: true");
            y += QStringLiteral("        - ") + fields.join(QStringLiteral("\n          ")) +
                 QLatin1Char('\n');
        }
    }
    // CertDash reads every certificate, trusted or not (expired, private CA, wrong name) and
    // judges trust itself: blackbox only reads.
    y += QStringLiteral("      tls_config:\n        insecure_skip_verify: true\n"
                        "        min_version: TLS10\n");
    if (!sni.isEmpty())
        y += QStringLiteral("        server_name: ") + yamlQuoted(sni) + QLatin1Char('\n');
    return y;
}

QString exporterJobName(int index) {
    return index == 0 ? QStringLiteral("certdash_blackbox")
                      : QStringLiteral("certdash_blackbox_%1").arg(index + 1);
}
} // namespace

QString exporterProblem(const QString &hostPort) {
    const QUrl url(QStringLiteral("http://") + hostPort);
    if (hostPort.isEmpty() || !url.isValid() || url.host().isEmpty() || url.port() <= 0 ||
        !url.path().isEmpty() || !url.userInfo().isEmpty() || hostPort.contains(QLatin1Char(' ')))
        return FleetText::tr("expected HOST:PORT (e.g. 127.0.0.1:9115), got '%1'")
            .arg(hostPort.left(60));
    return {};
}

QString moduleNameFor(const Target &target) {
    if (!written(target))
        return {};
    const QString sni = target.effectiveSni();
    const QString key = protocolWord(target.startTls) + QLatin1Char('\n') + sni;
    const QByteArray hash =
        QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha256).toHex().left(8);
    return QStringLiteral("certdash_%1_%2_%3")
        .arg(protocolWord(target.startTls),
             sni.isEmpty() ? QStringLiteral("nosni") : sanitized(sni), QString::fromLatin1(hash));
}

FleetConfig generateFleetConfig(const QList<Target> &targets, const FleetOptions &options) {
    FleetConfig config;
    QMap<QString, QString> modules; // name -> YAML
    QJsonArray groups;
    for (const Target &target : targets) {
        notesFor(target, &config.notes);
        if (!written(target))
            continue;
        const QString module = moduleNameFor(target);
        if (!modules.contains(module))
            modules.insert(module, moduleYaml(module, target, options));
        QJsonObject labels{{QStringLiteral("module"), module},
                           {QStringLiteral("target"), target.label()},
                           {QStringLiteral("host"), target.host},
                           {QStringLiteral("port"), QString::number(target.port)}};
        const QString sni = target.effectiveSni();
        if (!sni.isEmpty())
            labels.insert(QStringLiteral("sni"), sni);
        if (target.startTls != StartTls::None)
            labels.insert(QStringLiteral("starttls"), startTlsKey(target.startTls));
        if (!target.owner.isEmpty())
            labels.insert(QStringLiteral("owner"), target.owner);
        if (!target.tags.isEmpty())
            labels.insert(QStringLiteral("tags"), target.tags.join(QLatin1Char(',')));
        for (const QString &address : entryAddresses(target)) {
            groups.append(QJsonObject{{QStringLiteral("targets"), QJsonArray{address}},
                                      {QStringLiteral("labels"), labels}});
            ++config.entries;
        }
    }
    config.modules = int(modules.size());

    QString blackbox = QStringLiteral(
        "# blackbox_exporter modules written by `certdash fleet config` from the CertDash "
        "inventory.\n# One module per SNI and STARTTLS dialogue; every module reads the "
        "certificate without\n# verifying it (CertDash judges trust, blackbox only reads).\n"
        "modules:\n");
    if (modules.isEmpty()) // blackbox needs a modules map; an empty map is `{}`
        blackbox = blackbox.left(blackbox.size() - 1) + QStringLiteral(" {}\n");
    for (const QString &yaml : std::as_const(modules))
        blackbox += yaml;
    config.blackboxYml = blackbox.toUtf8();

    config.targetsJson = QJsonDocument(groups).toJson(QJsonDocument::Indented);

    // Prometheus refuses a scrape timeout longer than the interval; blackbox_exporter then
    // probes for the scrape timeout less half a second when that is shorter than the module's.
    const qint64 scrapeTimeout = std::min(options.intervalMs, options.timeoutMs + 1000);
    QString prometheus =
        QStringLiteral(
            "# Prometheus configuration written by `certdash fleet config`: scrapes the\n"
            "# blackbox_exporter(s) below with the targets in targets.json (same directory).\n"
            "global:\n  scrape_interval: %1\n  scrape_timeout: %2\n  evaluation_interval: %1\n"
            "scrape_configs:\n")
            .arg(formatDuration(options.intervalMs), formatDuration(scrapeTimeout));
    for (int i = 0; i < options.exporters.size(); ++i) {
        const QString exporter = yamlQuoted(options.exporters.at(i));
        prometheus += QStringLiteral("  - job_name: %1\n"
                                     "    metrics_path: /probe\n"
                                     "    file_sd_configs:\n"
                                     "      - files:\n"
                                     "          - targets.json\n"
                                     "        refresh_interval: 1m\n"
                                     "    relabel_configs:\n"
                                     "      - source_labels: [__address__]\n"
                                     "        target_label: __param_target\n"
                                     "      - source_labels: [module]\n"
                                     "        target_label: __param_module\n"
                                     "      - source_labels: [__param_target]\n"
                                     "        target_label: instance\n"
                                     "      - target_label: __address__\n"
                                     "        replacement: %2\n"
                                     "      - target_label: exporter\n"
                                     "        replacement: %2\n")
                          .arg(yamlQuoted(exporterJobName(i)), exporter);
    }
    prometheus += QStringLiteral("  - job_name: \"blackbox_exporter\"\n    static_configs:\n"
                                 "      - targets:\n");
    for (const QString &exporter : options.exporters)
        prometheus += QStringLiteral("          - ") + yamlQuoted(exporter) + QLatin1Char('\n');
    config.prometheusYml = prometheus.toUtf8();

    QString readme =
        FleetText::tr(
            "Written by `certdash fleet config`.\n\n"
            "Run the exporter(s) with blackbox.yml and Prometheus with prometheus.yml (it reads\n"
            "targets.json from this directory):\n"
            "  prometheus-blackbox-exporter --config.file=blackbox.yml\n"
            "  prometheus --config.file=prometheus.yml\n\n"
            "%1 target addresses, %2 blackbox modules, scraped every %3.\n\n"
            "How blackbox_exporter probes differently from CertDash:\n"
            "- Every module reads the certificate without verifying it (insecure_skip_verify: "
            "true),\n"
            "  so expired, private-CA and mismatched certificates are still read: CertDash judges\n"
            "  trust, blackbox only reads. probe_success means a TLS handshake was completed.\n"
            "- A target named by host name is probed at one of its addresses (IPv6 first);\n"
            "  CertDash probes every address. Pin addresses to have each probed.\n"
            "- Every exporter probes every target, from where it runs.\n")
            .arg(config.entries)
            .arg(config.modules)
            .arg(formatDuration(options.intervalMs));
    if (config.notes.isEmpty()) {
        readme += FleetText::tr("\nEvery target is probed the same way.\n");
    } else {
        readme += FleetText::tr("\nTargets probed differently or not written:\n");
        for (const FleetNote &note : std::as_const(config.notes))
            readme += QStringLiteral("- %1: %2\n").arg(note.target, note.reason);
    }
    config.readme = readme.toUtf8();
    return config;
}

} // namespace certdash::fleet
