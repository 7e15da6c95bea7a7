#include "FleetSettings.h"

#include "FleetFeed.h"
#include "models/EndpointTableModel.h"
#include "secrets/KeychainSecretStore.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace certdash {

FleetSourceDialog::FleetSourceDialog(QWidget *parent)
    : QDialog(parent) {
    setObjectName(QStringLiteral("fleetSourceDialog"));
    setWindowTitle(tr("Prometheus"));
    m_url = new QLineEdit(this);
    m_url->setObjectName(QStringLiteral("fleetUrl"));
    m_url->setPlaceholderText(tr("http://prometheus.example:9090"));
    m_auth = new QComboBox(this);
    m_auth->setObjectName(QStringLiteral("fleetAuth"));
    m_auth->addItem(tr("None"), QStringLiteral("none"));
    m_auth->addItem(tr("Bearer token"), QStringLiteral("bearer"));
    m_auth->addItem(tr("Basic (user and password)"), QStringLiteral("basic"));
    m_user = new QLineEdit(this);
    m_user->setObjectName(QStringLiteral("fleetUser"));
    m_secret = new QLineEdit(this);
    m_secret->setObjectName(QStringLiteral("fleetSecret"));
    m_secret->setEchoMode(QLineEdit::Password);
    m_caFile = new QLineEdit(this);
    m_caFile->setObjectName(QStringLiteral("fleetCaFile"));
    m_caFile->setPlaceholderText(tr("the system's CAs"));
    auto *browse = new QPushButton(tr("B&rowse..."), this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString file =
            QFileDialog::getOpenFileName(this, tr("CA of the Prometheus"), m_caFile->text(),
                                         tr("PEM certificates (*.pem *.crt);;All files (*)"));
        if (!file.isEmpty())
            m_caFile->setText(file);
    });
    auto *caRow = new QHBoxLayout;
    caRow->addWidget(m_caFile, 1);
    caRow->addWidget(browse);
    m_interval = new QSpinBox(this);
    m_interval->setObjectName(QStringLiteral("fleetInterval"));
    m_interval->setRange(10, 86400);
    m_interval->setSuffix(tr(" s"));

    auto *form = new QFormLayout;
    form->addRow(tr("&URL:"), m_url);
    form->addRow(tr("&Authentication:"), m_auth);
    form->addRow(tr("U&ser:"), m_user);
    form->addRow(tr("&Token or password:"), m_secret);
    auto *caLabel = new QLabel(tr("&CA file (https):"), this);
    caLabel->setBuddy(m_caFile);
    form->addRow(caLabel, caRow);
    form->addRow(tr("&Read every:"), m_interval);
    auto *note = new QLabel(tr("The token or password is kept in the system keychain only. "
                               "Leave it empty to keep the one stored."),
                            this);
    note->setWordWrap(true);
    m_problems = new QLabel(this);
    m_problems->setObjectName(QStringLiteral("fleetProblems"));
    m_problems->setWordWrap(true);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        if (Settings::validateFleetSource(source()).isEmpty())
            accept();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(m_problems);
    layout->addWidget(m_buttons);
    for (QLineEdit *edit : {m_url, m_user, m_caFile})
        connect(edit, &QLineEdit::textChanged, this, &FleetSourceDialog::revalidate);
    connect(m_auth, &QComboBox::currentIndexChanged, this, &FleetSourceDialog::revalidate);
    connect(m_interval, &QSpinBox::valueChanged, this, &FleetSourceDialog::revalidate);
    setSource(FleetSourceSettings{});
}

void FleetSourceDialog::setSource(const FleetSourceSettings &s) {
    m_url->setText(s.url);
    m_auth->setCurrentIndex(std::max(0, m_auth->findData(s.auth)));
    m_user->setText(s.user);
    m_secret->clear();
    m_caFile->setText(s.caFile);
    m_interval->setValue(s.readIntervalSeconds);
    revalidate();
}

FleetSourceSettings FleetSourceDialog::source() const {
    FleetSourceSettings s;
    s.url = m_url->text().trimmed();
    s.auth = m_auth->currentData().toString();
    s.user = s.auth == QLatin1String("basic") ? m_user->text().trimmed() : QString();
    s.caFile = m_caFile->text().trimmed();
    s.readIntervalSeconds = m_interval->value();
    return s;
}

QString FleetSourceDialog::secret() const {
    return m_auth->currentData().toString() == QLatin1String("none") ? QString() : m_secret->text();
}

void FleetSourceDialog::revalidate() {
    const QString auth = m_auth->currentData().toString();
    m_user->setEnabled(auth == QLatin1String("basic"));
    m_secret->setEnabled(auth != QLatin1String("none"));
    const QStringList problems = Settings::validateFleetSource(source());
    m_problems->setText(problems.isEmpty() ? QString()
                                           : QStringLiteral("\u26A0 ") +
                                                 problems.join(QStringLiteral("\n\u26A0 ")));
    m_problems->setVisible(!problems.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problems.isEmpty());
}

FleetSettings::FleetSettings(QWidget *parent)
    : QGroupBox(tr("Fleet (Prometheus)"), parent) {
    setObjectName(QStringLiteral("fleetSettings"));
    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("fleetSources"));
    m_list->setMaximumHeight(m_list->fontMetrics().height() * 5);
    auto *add = new QPushButton(tr("Add &Prometheus..."), this);
    add->setObjectName(QStringLiteral("addFleetSource"));
    auto *edit = new QPushButton(tr("E&dit..."), this);
    edit->setObjectName(QStringLiteral("editFleetSource"));
    auto *remove = new QPushButton(tr("Remove"), this);
    remove->setObjectName(QStringLiteral("removeFleetSource"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(edit);
    buttons->addWidget(remove);
    buttons->addStretch();
    auto *note = new QLabel(tr("Results of a Prometheus scraping blackbox_exporter (see "
                               "certdash fleet config) join the table as fleet rows."),
                            this);
    note->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(note);
    layout->addWidget(m_list);
    layout->addLayout(buttons);
    connect(add, &QPushButton::clicked, this, [this] { editSource(-1); });
    connect(edit, &QPushButton::clicked, this, [this] {
        if (m_list->currentRow() >= 0)
            editSource(m_list->currentRow());
    });
    connect(m_list, &QListWidget::itemDoubleClicked, this,
            [this] { editSource(m_list->currentRow()); });
    connect(remove, &QPushButton::clicked, this, [this] {
        const int row = m_list->currentRow();
        if (row < 0)
            return;
        // The keychain entry goes with the source; a failure to remove it is no reason to keep
        // the source.
        const FleetSource source = fleetSourceOf(m_sources.at(row));
        if (source.auth != FleetSource::Auth::None)
            store().remove(source.secretKey());
        m_sources.removeAt(row);
        refreshList();
        emit changed();
    });
}

FleetSettings::~FleetSettings() = default;

SecretStore &FleetSettings::store() {
    if (m_store)
        return *m_store;
    if (!m_keychain)
        m_keychain = std::make_unique<KeychainSecretStore>();
    return *m_keychain;
}

void FleetSettings::setSources(const QList<FleetSourceSettings> &sources) {
    m_sources = sources;
    refreshList();
}

void FleetSettings::refreshList() {
    m_list->clear();
    for (const FleetSourceSettings &s : std::as_const(m_sources)) {
        QString auth;
        if (s.auth == QLatin1String("bearer"))
            auth = tr("bearer token");
        else if (s.auth == QLatin1String("basic"))
            auth = tr("Basic as %1").arg(s.user);
        else
            auth = tr("no authentication");
        m_list->addItem(tr("%1 (%2, every %n s)", nullptr, s.readIntervalSeconds).arg(s.url, auth));
    }
}

FleetSourceDialog *FleetSettings::editSource(int row) {
    auto *dialog = new FleetSourceDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (row >= 0 && row < m_sources.size())
        dialog->setSource(m_sources.at(row));
    connect(dialog, &QDialog::accepted, this, [this, dialog, row] {
        const FleetSourceSettings source = dialog->source();
        const QString secret = dialog->secret();
        if (!secret.isEmpty()) {
            // To the keychain now, under the name the window reads it by; the settings get
            // the source without it.
            const QString error = store().write(fleetSourceOf(source).secretKey(), secret);
            if (!error.isEmpty()) {
                auto *box =
                    new QMessageBox(QMessageBox::Warning, tr("Keychain"),
                                    tr("The token or password was not stored: %1").arg(error),
                                    QMessageBox::Ok, this);
                box->setAttribute(Qt::WA_DeleteOnClose);
                box->open();
            }
        }
        if (row >= 0 && row < m_sources.size())
            m_sources[row] = source;
        else
            m_sources << source;
        refreshList();
        emit changed();
    });
    dialog->open();
    return dialog;
}

} // namespace certdash
