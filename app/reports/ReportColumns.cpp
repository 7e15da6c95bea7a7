#include "ReportColumns.h"

#include <iterator>

namespace certdash {

ReportCell ReportCell::text(const QString &value) {
    ReportCell cell;
    if (!value.isEmpty()) {
        cell.m_kind = Kind::Text;
        cell.m_text = value;
    }
    return cell;
}

ReportCell ReportCell::hex(const QString &digits) {
    ReportCell cell = text(digits);
    if (cell.m_kind == Kind::Text)
        cell.m_kind = Kind::Hex;
    return cell;
}

ReportCell ReportCell::number(qint64 value) {
    ReportCell cell;
    cell.m_kind = Kind::Number;
    cell.m_number = value;
    return cell;
}

QString ReportCell::toString() const {
    switch (m_kind) {
    case Kind::Text:
    case Kind::Hex:
        return m_text;
    case Kind::Number:
        return QString::number(m_number);
    case Kind::Empty:
        break;
    }
    return {};
}

QString isoUtc(const QDateTime &time) {
    if (!time.isValid())
        return {};
    // Qt::ISODate drops milliseconds; a UTC QDateTime renders its offset as "Z".
    return time.toUTC().toString(Qt::ISODate);
}

namespace {
ReportCell timeCell(const QDateTime &time) {
    return ReportCell::text(isoUtc(time));
}

// Columns that describe the leaf read an empty certificate when none was read, so that a failed
// probe gives empty cells rather than special cases in every column.
const CertificateInfo &leafOf(const ProbeResult &r) {
    static const CertificateInfo none;
    const CertificateInfo *leaf = r.leaf();
    return leaf ? *leaf : none;
}

struct Column {
    const char *name;
    ReportCell (*value)(const ProbeResult &);
};

// Name and value side by side, so that the header and the cells cannot drift apart.
const Column kColumns[] = {
    {"target",
     [](const ProbeResult &r) {
         return ReportCell::text(r.target.label());
     }},
    {"host",
     [](const ProbeResult &r) {
         return ReportCell::text(r.target.host);
     }},
    {"port",
     [](const ProbeResult &r) {
         return ReportCell::number(r.target.port);
     }},
    {"sni",
     [](const ProbeResult &r) {
         return ReportCell::text(r.sni);
     }},
    {"address",
     [](const ProbeResult &r) {
         return ReportCell::text(r.address);
     }},
    {"starttls",
     [](const ProbeResult &r) {
         return ReportCell::text(startTlsKey(r.target.startTls));
     }},
    {"status",
     [](const ProbeResult &r) {
         return ReportCell::text(statusKey(r.status));
     }},
    {"days_left",
     [](const ProbeResult &r) {
         return r.daysLeft ? ReportCell::number(*r.daysLeft) : ReportCell();
     }},
    {"not_before",
     [](const ProbeResult &r) {
         return timeCell(leafOf(r).notBefore);
     }},
    {"not_after",
     [](const ProbeResult &r) {
         return timeCell(leafOf(r).notAfter);
     }},
    {"subject",
     [](const ProbeResult &r) {
         return ReportCell::text(leafOf(r).subject);
     }},
    {"issuer",
     [](const ProbeResult &r) {
         return ReportCell::text(leafOf(r).issuer);
     }},
    {"serial",
     [](const ProbeResult &r) {
         return ReportCell::hex(leafOf(r).serial);
     }},
    {"sha256_fingerprint",
     [](const ProbeResult &r) {
         return ReportCell::text(leafOf(r).sha256Fingerprint);
     }},
    {"key_type",
     [](const ProbeResult &r) {
         return ReportCell::text(leafOf(r).keyType);
     }},
    {"key_bits",
     [](const ProbeResult &r) {
         return r.hasCertificate() && !r.isFleetRow() ? ReportCell::number(leafOf(r).keyBits)
                                                      : ReportCell();
     }},
    {"signature_algorithm",
     [](const ProbeResult &r) {
         return ReportCell::text(leafOf(r).signatureAlgorithm);
     }},
    {"san",
     [](const ProbeResult &r) {
         return ReportCell::text(leafOf(r).subjectAltNames.join(QLatin1Char(' ')));
     }},
    {"chain_length",
     [](const ProbeResult &r) {
         return ReportCell::number(r.chain.size());
     }},
    {"earliest_expiry",
     [](const ProbeResult &r) {
         return r.limiting ? timeCell(r.limiting->notAfter) : ReportCell();
     }},
    {"earliest_expiry_subject",
     [](const ProbeResult &r) {
         return r.limiting ? ReportCell::text(r.limiting->subject) : ReportCell();
     }},
    {"trust",
     [](const ProbeResult &r) {
         if (!r.hasCertificate() || r.isFleetRow()) // the fleet reads without verifying
             return ReportCell();
         return ReportCell::text(r.trust.trusted ? QStringLiteral("trusted")
                                                 : QStringLiteral("untrusted"));
     }},
    {"verification_errors",
     [](const ProbeResult &r) {
         return ReportCell::text(r.trust.findings.join(QStringLiteral("; ")));
     }},
    {"tls_version",
     [](const ProbeResult &r) {
         return ReportCell::text(r.tlsVersion);
     }},
    {"cipher",
     [](const ProbeResult &r) {
         return ReportCell::text(r.cipher);
     }},
    {"error",
     [](const ProbeResult &r) {
         return ReportCell::text(r.error);
     }},
    {"probed_at",
     [](const ProbeResult &r) {
         return timeCell(r.probedAt);
     }},
    {"limiting_role",
     [](const ProbeResult &r) {
         return ReportCell::text(r.limitingRole);
     }},
    {"duration_ms",
     [](const ProbeResult &r) {
         return ReportCell::number(r.durationMs);
     }},
    // trusted|accepted|weak|failed (see Trust.h); empty without a certificate. `trust` keeps its
    // meaning (the chain verifies and the name matches); this one says whether to act.
    {"trust_level",
     [](const ProbeResult &r) {
         const auto level = trustLevelOf(r);
         return level ? ReportCell::text(trustLevelKey(*level)) : ReportCell();
     }},
    // The inventory fields an auditor routes remediation by (issue 14), as the target has them:
    // tags joined with "," as in the inventory CSV.
    {"owner",
     [](const ProbeResult &r) {
         return ReportCell::text(r.target.owner);
     }},
    {"tags",
     [](const ProbeResult &r) {
         return ReportCell::text(r.target.tags.join(QLatin1Char(',')));
     }},
    {"notes",
     [](const ProbeResult &r) {
         return ReportCell::text(r.target.notes);
     }},
};
} // namespace

QStringList reportColumns() {
    QStringList names;
    names.reserve(std::size(kColumns));
    for (const Column &c : kColumns)
        names.append(QLatin1String(c.name));
    return names;
}

QList<ReportField> reportRow(const ProbeResult &result) {
    QList<ReportField> row;
    row.reserve(std::size(kColumns));
    for (const Column &c : kColumns)
        row.append({QLatin1String(c.name), c.value(result)});
    return row;
}

} // namespace certdash
