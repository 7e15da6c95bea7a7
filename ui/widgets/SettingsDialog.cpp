#include "SettingsDialog.h"
#include "FleetSettings.h"
#include "i18n/Translations.h"

#include "secrets/KeychainSecretStore.h"
#include "secrets/SecretStore.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QMessageBox>
#include <QScrollArea>
#include <QScreen>
#include <QScrollBar>
#include <QUrl>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

namespace certdash {

namespace {
QSpinBox *daysBox(QWidget *parent, const QString &objectName, int min, int max)
{
    auto *box = new QSpinBox(parent);
    box->setObjectName(objectName);
    box->setRange(min, max);
    box->setSuffix(SettingsDialog::tr(" days"));
    return box;
}
// A form label whose mnemonic moves to `field`: a row holding a layout gets no buddy by itself,
// and its "&" would show as such.
// "Deutsch", "English", "Français": a language named as its speakers name it.
QString languageName(const QLocale &locale)
{
    QString name = locale.nativeLanguageName();
    if (!name.isEmpty())
        name[0] = name[0].toUpper();
    return name;
}

QLabel *buddyLabel(const QString &text, QWidget *field)
{
    auto *label = new QLabel(text, field->parentWidget());
    label->setBuddy(field);
    return label;
}
} // namespace

SettingsDialog::SettingsDialog(QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Settings"));

    auto *thresholds = new QGroupBox(tr("Default thresholds"), this);
    auto *thresholdForm = new QFormLayout(thresholds);
    m_warning = daysBox(this, QStringLiteral("warningDays"), 0, 3650);
    m_critical = daysBox(this, QStringLiteral("criticalDays"), 0, 3650);
    m_rotation = daysBox(this, QStringLiteral("rotationDays"), 0, 3650);
    m_rotation->setSpecialValueText(tr("none"));
    thresholdForm->addRow(tr("&Warning below:"), m_warning);
    thresholdForm->addRow(tr("&Critical below:"), m_critical);
    thresholdForm->addRow(tr("Expected &rotation period:"), m_rotation);
    auto *capNote = new QLabel(tr("Capped at 1/3 and 1/6 of each certificate's lifetime. Targets "
                                  "and tags can override these."),
                               this);
    capNote->setWordWrap(true);
    thresholdForm->addRow(capNote);

    auto *probing = new QGroupBox(tr("Probing"), this);
    auto *probingForm = new QFormLayout(probing);
    m_interval = new QSpinBox(this);
    m_interval->setObjectName(QStringLiteral("intervalMinutes"));
    m_interval->setRange(0, 7 * 24 * 60);
    m_interval->setSuffix(tr(" min"));
    m_interval->setSpecialValueText(tr("off"));
    m_concurrency = new QSpinBox(this);
    m_concurrency->setObjectName(QStringLiteral("concurrency"));
    m_concurrency->setRange(1, 10000);
    m_timeout = new QDoubleSpinBox(this);
    m_timeout->setObjectName(QStringLiteral("timeoutSeconds"));
    m_timeout->setRange(0.1, 3600);
    m_timeout->setDecimals(1);
    m_timeout->setSuffix(tr(" s"));
    probingForm->addRow(tr("Re-probe &every:"), m_interval);
    probingForm->addRow(tr("Probes in &flight:"), m_concurrency);
    m_engine = new QComboBox(this);
    m_engine->setObjectName(QStringLiteral("probeEngine"));
    m_engine->addItem(tr("OpenSSL (fastest)"), QVariant::fromValue(int(ProbeEngine::OpenSsl)));
    m_engine->addItem(tr("Qt (QSslSocket, cross-check)"), QVariant::fromValue(int(ProbeEngine::Qt)));
    m_engine->setToolTip(tr("The TLS client that does the handshakes. Both give the same results; "
                            "OpenSSL is faster, Qt is an independent check of it."));
    probingForm->addRow(tr("&Timeout per probe:"), m_timeout);
    probingForm->addRow(tr("T&LS engine:"), m_engine);
    m_checkRevocation = new QCheckBox(tr("Check revocatio&n online (OCSP, else CRL)"), this);
    m_checkRevocation->setObjectName(QStringLiteral("checkRevocation"));
    m_checkRevocation->setToolTip(
        tr("Ask each certificate's OCSP responder, else its CRL, whether it was revoked. A "
           "stapled OCSP response is read either way; without this, an unanswered check is "
           "never an alert."));
    probingForm->addRow(QString(), m_checkRevocation);

    auto *trust = new QGroupBox(tr("Trust anchors"), this);
    auto *trustLayout = new QVBoxLayout(trust);
    m_systemAnchors = new QCheckBox(tr("Trust the &system certificate store"), this);
    m_systemAnchors->setObjectName(QStringLiteral("systemAnchors"));
    m_anchors = new QListWidget(this);
    m_anchors->setObjectName(QStringLiteral("anchorFiles"));
    auto *anchorButtons = new QHBoxLayout;
    auto *add = new QPushButton(tr("&Add PEM file..."), this);
    auto *remove = new QPushButton(tr("Re&move"), this);
    anchorButtons->addWidget(add);
    anchorButtons->addWidget(remove);
    anchorButtons->addStretch();
    trustLayout->addWidget(m_systemAnchors);
    trustLayout->addWidget(m_anchors);
    trustLayout->addLayout(anchorButtons);
    connect(add, &QPushButton::clicked, this, [this] {
        const QStringList files = QFileDialog::getOpenFileNames(
            this, tr("Trust anchors"), QString(), tr("PEM certificates (*.pem *.crt);;All files (*)"));
        for (const QString &file : files)
            m_anchors->addItem(file);
        revalidate();
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        qDeleteAll(m_anchors->selectedItems());
        revalidate();
    });

    auto *history = new QGroupBox(tr("History"), this);
    auto *historyForm = new QFormLayout(history);
    m_keepAll = daysBox(this, QStringLiteral("keepAllDays"), 1, 36500);
    m_keepDaily = daysBox(this, QStringLiteral("keepDailyDays"), 1, 36500);
    historyForm->addRow(tr("Keep every probe for:"), m_keepAll);
    historyForm->addRow(tr("Then one a day for:"), m_keepDaily);

    auto *alerts = new QGroupBox(tr("Alerts"), this);
    auto *alertsForm = new QFormLayout(alerts);
    m_failureCount = new QSpinBox(this);
    m_failureCount->setObjectName(QStringLiteral("alertFailureCount"));
    m_failureCount->setRange(1, 10);
    m_eventLog = new QLineEdit(this);
    m_eventLog->setObjectName(QStringLiteral("eventLogPath"));
    m_eventLog->setPlaceholderText(tr("no event log"));
    m_eventLog->setClearButtonEnabled(true);
    auto *chooseLog = new QPushButton(tr("C&hoose..."), this);
    chooseLog->setObjectName(QStringLiteral("chooseEventLog"));
    auto *eventLogRow = new QHBoxLayout;
    eventLogRow->addWidget(m_eventLog, 1);
    eventLogRow->addWidget(chooseLog);
    alertsForm->addRow(tr("&Outage alerts after failures in a row:"), m_failureCount);
    alertsForm->addRow(buddyLabel(tr("E&vent log (JSON lines):"), m_eventLog), eventLogRow);
    connect(chooseLog, &QPushButton::clicked, this, [this] {
        // A save dialog: the log is usually a file that does not exist yet.
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Event log"), m_eventLog->text(), tr("JSON lines (*.jsonl);;All files (*)"),
            nullptr, QFileDialog::DontConfirmOverwrite);
        if (!path.isEmpty())
            m_eventLog->setText(path);
    });

    auto *connection = new QGroupBox(tr("Connection (targets may set their own)"), this);
    auto *connectionForm = new QFormLayout(connection);
    const auto pathRow = [this](QLineEdit *edit, const QString &caption, const QString &filter) {
        auto *row = new QHBoxLayout;
        row->addWidget(edit, 1);
        auto *browse = new QPushButton(tr("Browse..."), this);
        browse->setObjectName(edit->objectName() + QStringLiteral("Browse"));
        row->addWidget(browse);
        connect(browse, &QPushButton::clicked, this, [this, edit, caption, filter] {
            const QString file =
                QFileDialog::getOpenFileName(this, caption, edit->text(), filter);
            if (!file.isEmpty())
                edit->setText(file);
        });
        return row;
    };
    m_clientCert = new QLineEdit(this);
    m_clientCert->setObjectName(QStringLiteral("clientCert"));
    m_clientCert->setPlaceholderText(tr("none; a PEM certificate or a PKCS#12 file"));
    m_clientKey = new QLineEdit(this);
    m_clientKey->setObjectName(QStringLiteral("clientKey"));
    m_clientKey->setPlaceholderText(tr("the PEM key, unless the certificate file holds it"));
    m_proxy = new QLineEdit(this);
    m_proxy->setObjectName(QStringLiteral("proxy"));
    m_proxy->setPlaceholderText(tr("the environment's (https_proxy); a URL; or direct"));
    auto *keyPassphrase = new QPushButton(tr("Passphrase in keychain..."), this);
    keyPassphrase->setObjectName(QStringLiteral("storeKeyPassphrase"));
    auto *proxyPassword = new QPushButton(tr("Password in keychain..."), this);
    proxyPassword->setObjectName(QStringLiteral("storeProxyPassword"));
    auto *proxyRow = new QHBoxLayout;
    proxyRow->addWidget(m_proxy, 1);
    proxyRow->addWidget(proxyPassword);
    connectionForm->addRow(buddyLabel(tr("Client cert&ificate:"), m_clientCert),
                           pathRow(m_clientCert, tr("Client certificate"),
                                   tr("Certificates (*.pem *.crt *.p12 *.pfx);;All files (*)")));
    connectionForm->addRow(buddyLabel(tr("Client &key:"), m_clientKey),
                           pathRow(m_clientKey, tr("Client key"),
                                   tr("Keys (*.pem *.key);;All files (*)")));
    connectionForm->addRow(QString(), keyPassphrase);
    connectionForm->addRow(buddyLabel(tr("Pro&xy:"), m_proxy), proxyRow);
    connect(keyPassphrase, &QPushButton::clicked, this, [this] {
        const QString file = m_clientKey->text().trimmed().isEmpty() ? m_clientCert->text().trimmed()
                                                                     : m_clientKey->text().trimmed();
        if (file.isEmpty())
            return;
        storeSecret(clientKeySecretName(file), tr("the passphrase of %1").arg(file));
    });
    connect(proxyPassword, &QPushButton::clicked, this, [this] {
        const QString proxy = m_proxy->text().trimmed();
        const QUrl url(proxy);
        if (proxy.isEmpty() || !proxyUrlProblem(proxy).isEmpty() || url.userName().isEmpty()) {
            QMessageBox::information(this, tr("Proxy password"),
                                     tr("Give the proxy as a URL with a user name first, such as "
                                        "http://alice@proxy.example:3128."));
            return;
        }
        storeSecret(proxySecretName(url), tr("the password of %1").arg(url.toString()));
    });
    for (QLineEdit *edit : {m_clientCert, m_clientKey, m_proxy}) {
        connect(edit, &QLineEdit::textChanged, this, &SettingsDialog::revalidate);
        // Wide enough for its hint in every language (the French one is a third longer): the
        // dialog grows rather than eliding the only explanation of the field.
        edit->setMinimumWidth(
            std::min(edit->fontMetrics().horizontalAdvance(edit->placeholderText()) + 16, 520));
    }

    auto *language = new QGroupBox(tr("Language"), this);
    auto *languageForm = new QFormLayout(language);
    m_language = new QComboBox(this);
    m_language->setObjectName(QStringLiteral("language"));
    // Each language in its own words, so that whoever cannot read the current one finds theirs.
    const QLocale system = QLocale::system();
    m_language->addItem(tr("System default (%1)").arg(languageName(system)), QString());
    for (const QString &code : availableLanguages())
        m_language->addItem(languageName(QLocale(code)), code);
    languageForm->addRow(tr("Lan&guage:"), m_language);
    auto *restartNote = new QLabel(tr("Takes effect when CertDash starts again."), this);
    restartNote->setWordWrap(true);
    languageForm->addRow(restartNote);

    m_fleet = new FleetSettings(this);
    connect(m_fleet, &FleetSettings::changed, this, &SettingsDialog::revalidate);

    m_problems = new QLabel(this);
    m_problems->setObjectName(QStringLiteral("problems"));
    m_problems->setWordWrap(true);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        if (Settings::validate(values()).isEmpty())
            accept();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    // The groups scroll when the screen is short (a 1366x768 laptop); the problems and the
    // buttons stay in view.
    auto *groups = new QWidget(this);
    auto *groupsLayout = new QVBoxLayout(groups);
    groupsLayout->setContentsMargins(0, 0, 0, 0);
    groupsLayout->addWidget(thresholds);
    groupsLayout->addWidget(probing);
    groupsLayout->addWidget(trust);
    groupsLayout->addWidget(history);
    groupsLayout->addWidget(alerts);
    groupsLayout->addWidget(connection);
    groupsLayout->addWidget(m_fleet);
    groupsLayout->addWidget(language);
    auto *scroll = new QScrollArea(this);
    scroll->setObjectName(QStringLiteral("settingsScroll"));
    scroll->setWidget(groups);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(scroll, 1);
    layout->addWidget(m_problems);
    layout->addWidget(m_buttons);
    // As tall as the groups need, up to what the screen offers.
    const int available = screen() ? screen()->availableGeometry().height() - 80 : 700;
    resize(groups->sizeHint().width() + scroll->verticalScrollBar()->sizeHint().width() + 24,
           std::min(groups->sizeHint().height() + 90, available));

    for (QSpinBox *box : {m_warning, m_critical, m_rotation, m_interval, m_concurrency, m_keepAll,
                          m_keepDaily, m_failureCount})
        connect(box, &QSpinBox::valueChanged, this, &SettingsDialog::revalidate);
    connect(m_timeout, &QDoubleSpinBox::valueChanged, this, &SettingsDialog::revalidate);
    connect(m_systemAnchors, &QCheckBox::toggled, this, &SettingsDialog::revalidate);
    connect(m_eventLog, &QLineEdit::textChanged, this, &SettingsDialog::revalidate);
    setValues(Settings::Values{});
}

void SettingsDialog::setValues(const Settings::Values &v)
{
    m_warning->setValue(v.warningDays);
    m_critical->setValue(v.criticalDays);
    m_rotation->setValue(v.rotationDays.value_or(0));
    m_interval->setValue(v.probeIntervalMinutes);
    m_concurrency->setValue(v.concurrency);
    m_timeout->setValue(v.timeoutSeconds);
    m_engine->setCurrentIndex(std::max(0, m_engine->findData(int(v.engine))));
    m_checkRevocation->setChecked(v.checkRevocation);
    m_systemAnchors->setChecked(v.useSystemAnchors);
    m_anchors->clear();
    m_anchors->addItems(v.trustAnchorFiles);
    m_keepAll->setValue(v.keepAllDays);
    m_keepDaily->setValue(v.keepDailyDays);
    m_failureCount->setValue(v.alertFailureCount);
    m_eventLog->setText(v.eventLogPath);
    m_clientCert->setText(v.connection.clientCertificate);
    m_clientKey->setText(v.connection.clientKey);
    m_proxy->setText(v.connection.proxy);
    m_language->setCurrentIndex(std::max(0, m_language->findData(v.language)));
    m_fleet->setSources(v.fleetSources);
    revalidate();
}

Settings::Values SettingsDialog::values() const
{
    Settings::Values v;
    v.warningDays = m_warning->value();
    v.criticalDays = m_critical->value();
    if (m_rotation->value() > 0)
        v.rotationDays = m_rotation->value();
    v.probeIntervalMinutes = m_interval->value();
    v.concurrency = m_concurrency->value();
    v.timeoutSeconds = m_timeout->value();
    v.engine = ProbeEngine(m_engine->currentData().toInt());
    v.checkRevocation = m_checkRevocation->isChecked();
    v.useSystemAnchors = m_systemAnchors->isChecked();
    for (int i = 0; i < m_anchors->count(); ++i)
        v.trustAnchorFiles << m_anchors->item(i)->text();
    v.keepAllDays = m_keepAll->value();
    v.keepDailyDays = m_keepDaily->value();
    v.alertFailureCount = m_failureCount->value();
    v.eventLogPath = m_eventLog->text().trimmed();
    v.connection.clientCertificate = m_clientCert->text().trimmed();
    v.connection.clientKey = m_clientKey->text().trimmed();
    v.connection.proxy = m_proxy->text().trimmed();
    v.language = m_language->currentData().toString();
    v.fleetSources = m_fleet->sources();
    return v;
}

void SettingsDialog::revalidate()
{
    const QStringList problems = Settings::validate(values());
    // Words, not colour alone: each problem is a sentence with a warning sign in front.
    m_problems->setText(problems.isEmpty()
                            ? QString()
                            : QStringLiteral("\u26A0 ") + problems.join(QStringLiteral("\n\u26A0 ")));
    m_problems->setVisible(!problems.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problems.isEmpty());
}

void SettingsDialog::storeSecret(const QString &name, const QString &what)
{
    bool ok = false;
    const QString secret = QInputDialog::getText(this, tr("Keychain"),
                                                 tr("Enter %1. It is kept in the system keychain "
                                                    "only, as \"%2\".")
                                                     .arg(what, name),
                                                 QLineEdit::Password, QString(), &ok);
    if (!ok || secret.isEmpty())
        return;
    KeychainSecretStore keychain;
    const QString error = keychain.write(name, secret);
    if (error.isEmpty())
        QMessageBox::information(this, tr("Keychain"), tr("Stored %1 in the keychain.").arg(what));
    else
        QMessageBox::warning(this, tr("Keychain"),
                             tr("Nothing was stored: %1").arg(error));
}

} // namespace certdash
