#include "TargetEditDialog.h"

#include "inventory/TargetFields.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>

namespace certdash {

namespace {
QLineEdit *lineEdit(QWidget *parent, const QString &objectName, const QString &placeholder = {})
{
    auto *edit = new QLineEdit(parent);
    edit->setObjectName(objectName);
    edit->setPlaceholderText(placeholder);
    // Wide enough for its hint in every language (German and French ones run a fifth longer):
    // the dialog grows rather than cutting the only explanation of the field.
    if (!placeholder.isEmpty())
        edit->setMinimumWidth(
            std::min(edit->fontMetrics().horizontalAdvance(placeholder) + 16, 600));
    return edit;
}

// A path field with a "Browse..." button beside it.
QWidget *withBrowse(QLineEdit *edit, const QString &caption, const QString &filter)
{
    auto *row = new QWidget(edit->parentWidget());
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(edit);
    auto *browse = new QPushButton(QCoreApplication::translate("certdash::TargetEditDialog",
                                                               "Browse..."),
                                   row);
    browse->setObjectName(edit->objectName() + QStringLiteral("Browse"));
    layout->addWidget(browse);
    QObject::connect(browse, &QPushButton::clicked, edit, [edit, caption, filter] {
        const QString file = QFileDialog::getOpenFileName(edit->window(), caption, edit->text(),
                                                          filter);
        if (!file.isEmpty())
            edit->setText(file);
    });
    return row;
}
} // namespace

TargetEditDialog::TargetEditDialog(QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Add target"));
    m_name = lineEdit(this, QStringLiteral("name"), tr("optional label"));
    m_host = lineEdit(this, QStringLiteral("host"), tr("example.com, 192.0.2.7 or [2001:db8::1]"));
    m_port = lineEdit(this, QStringLiteral("port"), tr("default for the protocol"));
    m_sni = lineEdit(this, QStringLiteral("sni"), tr("default: the host name"));
    m_noSni = new QCheckBox(tr("Send no server na&me (SNI)"), this);
    m_noSni->setObjectName(QStringLiteral("noSni"));
    m_addresses = lineEdit(this, QStringLiteral("addresses"), tr("default: resolve the host"));
    m_startTls = new QComboBox(this);
    m_startTls->setObjectName(QStringLiteral("starttls"));
    m_startTls->addItem(tr("none (implicit TLS)"), QString());
    for (const QString &key : startTlsKeys())
        m_startTls->addItem(key, key);
    m_tags = lineEdit(this, QStringLiteral("tags"), tr("comma separated"));
    m_owner = lineEdit(this, QStringLiteral("owner"));
    m_notes = new QPlainTextEdit(this);
    m_notes->setObjectName(QStringLiteral("notes"));
    m_notes->setTabChangesFocus(true);
    m_notes->setMaximumHeight(70);
    m_warning = lineEdit(this, QStringLiteral("warning"), tr("inherit"));
    m_critical = lineEdit(this, QStringLiteral("critical"), tr("inherit"));
    m_rotation = lineEdit(this, QStringLiteral("rotation"), tr("inherit"));
    m_enabled = new QCheckBox(tr("Ena&bled: probe this target in scans"), this);
    m_enabled->setObjectName(QStringLiteral("enabled"));
    m_enabled->setToolTip(tr("A disabled target stays in the inventory but is never probed."));
    m_enabled->setChecked(true);
    m_acceptSelfSigned =
        new QCheckBox(tr("Accept a self-signed or pri&vate-CA certificate (meant to be so)"), this);
    m_acceptSelfSigned->setObjectName(QStringLiteral("acceptSelfSigned"));
    m_pinIssuer = lineEdit(this, QStringLiteral("pinIssuer"),
                           tr("accept an untrusted chain from this issuer, e.g. CN=Example CA"));
    m_pinSha256 = lineEdit(this, QStringLiteral("pinSha256"),
                           tr("accept only this certificate: SHA-256, 64 hex digits"));
    m_clientCert = lineEdit(this, QStringLiteral("clientCert"),
                            tr("inherit; a PEM certificate or a PKCS#12 file"));
    m_clientKey = lineEdit(this, QStringLiteral("clientKey"),
                           tr("the PEM key, unless the certificate file holds it"));
    m_proxy = lineEdit(this, QStringLiteral("proxy"),
                       tr("inherit; http://host:port, socks5://host:port or direct"));
    m_proxy->setToolTip(tr("No password here: CertDash asks the system keychain for it."));
    // Online revocation checks (check_revocation): the item data is the inventory value.
    m_checkRevocation = new QComboBox(this);
    m_checkRevocation->setObjectName(QStringLiteral("checkRevocation"));
    m_checkRevocation->addItem(tr("inherit"), QString());
    m_checkRevocation->addItem(tr("check online"), QStringLiteral("yes"));
    m_checkRevocation->addItem(tr("never ask (offline network)"), QStringLiteral("no"));

    auto *form = new QFormLayout;
    form->addRow(tr("&Host:"), m_host);
    form->addRow(tr("&Port:"), m_port);
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("SN&I:"), m_sni);
    form->addRow(QString(), m_noSni);
    form->addRow(tr("Pinned &addresses:"), m_addresses);
    form->addRow(tr("&STARTTLS:"), m_startTls);
    form->addRow(tr("&Tags:"), m_tags);
    form->addRow(tr("O&wner:"), m_owner);
    form->addRow(tr("Not&es:"), m_notes);
    form->addRow(tr("Warnin&g below (days):"), m_warning);
    form->addRow(tr("Critica&l below (days):"), m_critical);
    form->addRow(tr("&Rotation period (days):"), m_rotation);
    form->addRow(QString(), m_enabled);
    form->addRow(tr("Trust:"), m_acceptSelfSigned);
    form->addRow(tr("Pinned iss&uer:"), m_pinIssuer);
    form->addRow(tr("Pinned SHA-&256:"), m_pinSha256);
    const QString certificates = tr("Certificates (*.pem *.crt *.p12 *.pfx);;All files (*)");
    form->addRow(tr("Client certi&ficate:"),
                 withBrowse(m_clientCert, tr("Client certificate"), certificates));
    form->addRow(tr("Client &key:"),
                 withBrowse(m_clientKey, tr("Client key"),
                            tr("Keys (*.pem *.key);;All files (*)")));
    form->addRow(tr("Pro&xy:"), m_proxy);
    form->addRow(tr("Revo&cation:"), m_checkRevocation);

    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("message"));
    m_message->setWordWrap(true);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        revalidate();
        if (isValid())
            accept();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_message);
    layout->addWidget(m_buttons);

    for (QLineEdit *edit : {m_name, m_host, m_port, m_sni, m_addresses, m_tags, m_owner, m_warning,
                            m_critical, m_rotation, m_pinIssuer, m_pinSha256, m_clientCert,
                            m_clientKey, m_proxy})
        connect(edit, &QLineEdit::textChanged, this, &TargetEditDialog::revalidate);
    connect(m_noSni, &QCheckBox::toggled, this, &TargetEditDialog::revalidate);
    connect(m_startTls, &QComboBox::currentIndexChanged, this, &TargetEditDialog::revalidate);
    connect(m_notes, &QPlainTextEdit::textChanged, this, &TargetEditDialog::revalidate);
    connect(m_enabled, &QCheckBox::toggled, this, &TargetEditDialog::revalidate);
    connect(m_acceptSelfSigned, &QCheckBox::toggled, this, &TargetEditDialog::revalidate);
    connect(m_checkRevocation, &QComboBox::currentIndexChanged, this,
            &TargetEditDialog::revalidate);
    // Focus and Tab follow the form from Host down, whatever order the fields were made in.
    QWidget *previous = m_host;
    for (QWidget *next : std::initializer_list<QWidget *>{
             m_port, m_name, m_sni, m_noSni, m_addresses, m_startTls, m_tags, m_owner, m_notes,
             m_warning, m_critical, m_rotation, m_enabled, m_acceptSelfSigned, m_pinIssuer,
             m_pinSha256, m_clientCert, m_clientKey, m_proxy, m_checkRevocation}) {
        setTabOrder(previous, next);
        previous = next;
    }
    m_host->setFocus();
    revalidate();
}

void TargetEditDialog::setInheritedPolicy(std::function<ExpiryPolicy(const Target &)> inherited)
{
    m_inherited = std::move(inherited);
    showInherited();
}

void TargetEditDialog::showInherited()
{
    if (!m_inherited)
        return;
    // The tags as typed so far (they may change what is inherited), even while another field
    // is invalid.
    Target candidate = m_valid.value_or(Target{});
    if (!m_valid) {
        for (const QString &tag : m_tags->text().split(u',', Qt::SkipEmptyParts))
            candidate.tags << tag.trimmed();
    }
    const ExpiryPolicy policy = m_inherited(candidate);
    m_warning->setPlaceholderText(tr("inherited (%1)").arg(policy.warningDays));
    m_critical->setPlaceholderText(tr("inherited (%1)").arg(policy.criticalDays));
    m_rotation->setPlaceholderText(policy.rotationDays
                                       ? tr("inherited (%1)").arg(*policy.rotationDays)
                                       : tr("inherited (none)"));
}

void TargetEditDialog::setDuplicateCheck(std::function<QString(const Target &)> check)
{
    m_duplicateCheck = std::move(check);
    revalidate();
}

void TargetEditDialog::setTarget(const Target &t)
{
    setWindowTitle(tr("Edit target"));
    m_id = t.id;
    m_name->setText(t.name);
    // An IPv6 host goes in brackets when it is shown with a port elsewhere; here the port has
    // its own field, so the bare address is enough.
    m_host->setText(t.host);
    m_port->setText(t.port == defaultPort(t.startTls) ? QString() : QString::number(t.port));
    m_sni->setText(t.sni);
    m_noSni->setChecked(t.noSni);
    m_addresses->setText(t.addresses.join(QStringLiteral(", ")));
    m_startTls->setCurrentIndex(std::max(0, m_startTls->findData(startTlsKey(t.startTls))));
    m_tags->setText(t.tags.join(QStringLiteral(", ")));
    m_owner->setText(t.owner);
    m_notes->setPlainText(t.notes);
    const auto days = [](const std::optional<int> &d) {
        return d ? QString::number(*d) : QString();
    };
    m_warning->setText(days(t.warningDays));
    m_critical->setText(days(t.criticalDays));
    m_rotation->setText(days(t.rotationDays));
    m_enabled->setChecked(t.enabled);
    m_acceptSelfSigned->setChecked(t.acceptance.acceptSelfSigned);
    m_pinIssuer->setText(t.acceptance.pinIssuer);
    m_pinSha256->setText(t.acceptance.pinSha256);
    m_clientCert->setText(t.connection.clientCertificate);
    m_clientKey->setText(t.connection.clientKey);
    m_proxy->setText(t.connection.proxy);
    m_checkRevocation->setCurrentIndex(m_checkRevocation->findData(
        t.checkRevocation ? QString::fromLatin1(*t.checkRevocation ? "yes" : "no") : QString()));
    revalidate();
}

Target TargetEditDialog::target() const
{
    return m_valid.value_or(Target{});
}

void TargetEditDialog::revalidate()
{
    inventory::RawTarget raw;
    const auto put = [&raw](const char *key, const QString &value) {
        if (!value.trimmed().isEmpty())
            raw.text.insert(QString::fromLatin1(key), value.trimmed());
    };
    put("name", m_name->text());
    raw.text.insert(QStringLiteral("host"), m_host->text()); // empty host is a problem to show
    put("port", m_port->text());
    put("sni", m_sni->text());
    if (m_noSni->isChecked())
        raw.text.insert(QStringLiteral("no_sni"), QStringLiteral("true"));
    put("address", m_addresses->text());
    put("starttls", m_startTls->currentData().toString());
    put("tags", m_tags->text());
    put("owner", m_owner->text());
    put("notes", m_notes->toPlainText());
    put("warning", m_warning->text());
    put("critical", m_critical->text());
    put("rotation", m_rotation->text());
    if (m_acceptSelfSigned->isChecked())
        raw.text.insert(QStringLiteral("accept_self_signed"), QStringLiteral("true"));
    put("pin_issuer", m_pinIssuer->text());
    put("pin_sha256", m_pinSha256->text());
    put("client_cert", m_clientCert->text());
    put("client_key", m_clientKey->text());
    put("proxy", m_proxy->text());
    put("check_revocation", m_checkRevocation->currentData().toString());

    m_problems.clear();
    m_valid = inventory::buildTarget(raw, SourceLocation{}, m_problems);
    if (m_valid) {
        m_valid->id = m_id;
        m_valid->enabled = m_enabled->isChecked();
        if (m_duplicateCheck) {
            const QString duplicate = m_duplicateCheck(*m_valid);
            if (!duplicate.isEmpty()) {
                m_problems << duplicate;
                m_valid.reset();
            }
        }
    }
    // Words with a sign in front, not colour alone.
    m_message->setText(m_problems.isEmpty()
                           ? QString()
                           : QStringLiteral("\u26A0 ") + m_problems.join(QStringLiteral("\n\u26A0 ")));
    m_message->setVisible(!m_problems.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(m_valid.has_value());
    showInherited();
}

} // namespace certdash
