#include "InventoryExport.h"

#include "inventory/TargetFields.h"
#include "reports/CsvWriter.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace certdash {

namespace {
struct ExportText
{
    Q_DECLARE_TR_FUNCTIONS(certdash::Inventory)
};

void addOptional(CsvWriter &csv, const std::optional<int> &value)
{
    if (value)
        csv.addNumber(*value);
    else
        csv.addEmpty();
}
} // namespace

QByteArray inventoryToCsv(const QList<Target> &targets)
{
    CsvWriter csv;
    // The parser's own key list: whatever it accepts, export writes, in its documented order.
    csv.addHeader(inventory::targetKeys());
    for (const Target &t : targets) {
        csv.addText(t.name);
        csv.addText(t.host);
        csv.addNumber(t.port);
        csv.addText(t.sni);
        csv.addRaw(t.noSni ? QStringLiteral("true") : QStringLiteral("false"));
        csv.addText(t.addresses.join(QLatin1Char(' ')));
        csv.addText(startTlsKey(t.startTls));
        addOptional(csv, t.rotationDays);
        addOptional(csv, t.warningDays);
        addOptional(csv, t.criticalDays);
        csv.addText(t.tags.join(QLatin1Char(',')));
        csv.addText(t.owner);
        csv.addText(t.notes);
        csv.addRaw(t.enabled ? QStringLiteral("true") : QStringLiteral("false"));
        csv.addRaw(t.acceptance.acceptSelfSigned ? QStringLiteral("true")
                                                 : QStringLiteral("false"));
        csv.addText(t.acceptance.pinIssuer);
        csv.addText(t.acceptance.pinSha256);
        csv.addText(t.connection.clientCertificate);
        csv.addText(t.connection.clientKey);
        csv.addText(t.connection.proxy);
        if (t.checkRevocation)
            csv.addRaw(*t.checkRevocation ? QStringLiteral("yes") : QStringLiteral("no"));
        else
            csv.addEmpty();
        csv.endRow();
    }
    return csv.data();
}

QByteArray inventoryToJson(const QList<Target> &targets)
{
    QJsonArray array;
    for (const Target &t : targets) {
        QJsonObject o;
        if (!t.name.isEmpty())
            o.insert(QStringLiteral("name"), t.name);
        o.insert(QStringLiteral("host"), t.host);
        o.insert(QStringLiteral("port"), int(t.port));
        if (!t.sni.isEmpty())
            o.insert(QStringLiteral("sni"), t.sni);
        if (t.noSni)
            o.insert(QStringLiteral("no_sni"), true);
        if (!t.addresses.isEmpty())
            o.insert(QStringLiteral("address"), QJsonArray::fromStringList(t.addresses));
        if (t.startTls != StartTls::None)
            o.insert(QStringLiteral("starttls"), startTlsKey(t.startTls));
        if (t.rotationDays)
            o.insert(QStringLiteral("rotation"), *t.rotationDays);
        if (t.warningDays)
            o.insert(QStringLiteral("warning"), *t.warningDays);
        if (t.criticalDays)
            o.insert(QStringLiteral("critical"), *t.criticalDays);
        if (!t.tags.isEmpty())
            o.insert(QStringLiteral("tags"), QJsonArray::fromStringList(t.tags));
        if (!t.owner.isEmpty())
            o.insert(QStringLiteral("owner"), t.owner);
        if (!t.notes.isEmpty())
            o.insert(QStringLiteral("notes"), t.notes);
        if (!t.enabled)
            o.insert(QStringLiteral("enabled"), false);
        if (t.acceptance.acceptSelfSigned)
            o.insert(QStringLiteral("accept_self_signed"), true);
        if (!t.acceptance.pinIssuer.isEmpty())
            o.insert(QStringLiteral("pin_issuer"), t.acceptance.pinIssuer);
        if (!t.acceptance.pinSha256.isEmpty())
            o.insert(QStringLiteral("pin_sha256"), t.acceptance.pinSha256);
        if (!t.connection.clientCertificate.isEmpty())
            o.insert(QStringLiteral("client_cert"), t.connection.clientCertificate);
        if (!t.connection.clientKey.isEmpty())
            o.insert(QStringLiteral("client_key"), t.connection.clientKey);
        if (!t.connection.proxy.isEmpty())
            o.insert(QStringLiteral("proxy"), t.connection.proxy);
        if (t.checkRevocation)
            o.insert(QStringLiteral("check_revocation"), *t.checkRevocation);
        array.append(o);
    }
    return QJsonDocument(array).toJson(QJsonDocument::Indented);
}

QString inventoryTable(const QList<Target> &targets)
{
    const QStringList header{ExportText::tr("ID"),       ExportText::tr("STATE"),
                             ExportText::tr("TARGET"),   ExportText::tr("ADDRESS"),
                             ExportText::tr("SNI"),      ExportText::tr("STARTTLS"),
                             ExportText::tr("TAGS"),     ExportText::tr("OWNER"),
                             ExportText::tr("W/C/R DAYS")};
    QList<QStringList> rows{header};
    const auto days = [](const std::optional<int> &d) {
        return d ? QString::number(*d) : QStringLiteral("-");
    };
    for (const Target &t : targets) {
        QString sni = t.noSni ? ExportText::tr("(none)") : t.effectiveSni();
        rows << QStringList{QString::number(t.id),
                            t.enabled ? ExportText::tr("on") : ExportText::tr("off"),
                            t.name.isEmpty() ? t.hostPort()
                                             : QStringLiteral("%1 (%2)").arg(t.name, t.hostPort()),
                            t.addresses.isEmpty() ? ExportText::tr("(resolve)")
                                                  : t.addresses.join(QLatin1Char(',')),
                            sni.isEmpty() ? QStringLiteral("-") : sni,
                            t.startTls == StartTls::None ? QStringLiteral("-")
                                                         : startTlsKey(t.startTls),
                            t.tags.isEmpty() ? QStringLiteral("-") : t.tags.join(QLatin1Char(',')),
                            t.owner.isEmpty() ? QStringLiteral("-") : t.owner,
                            QStringLiteral("%1/%2/%3")
                                .arg(days(t.warningDays), days(t.criticalDays), days(t.rotationDays))};
    }
    QList<int> widths(header.size(), 0);
    for (const QStringList &row : rows) {
        for (int c = 0; c < row.size(); ++c)
            widths[c] = std::max(widths[c], int(row[c].size()));
    }
    QString text;
    for (const QStringList &row : rows) {
        QString line;
        for (int c = 0; c < row.size(); ++c)
            line += c + 1 < row.size() ? row[c].leftJustified(widths[c] + 2) : row[c];
        text += line.trimmed() + QLatin1Char('\n');
    }
    return text;
}

} // namespace certdash
