#include "DetailsPane.h"

#include "StatusIcon.h"
#include "charts/ExpiryTimelineChart.h"
#include "domain/ExpiryPolicy.h"
#include "domain/ExpiryWords.h"
#include "domain/FindingExplanation.h"
#include "probing/X509.h"
#include "reports/Report.h"
#include "secrets/KeychainSecretStore.h"

#include <QApplication>
#include <QClipboard>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPainter>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QTextBrowser>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace certdash {

// How much of a certificate's lifetime has passed, drawn with the palette (and the remaining
// days written on it, so the bar never relies on colour).
class ValidityBar : public QWidget
{
public:
    explicit ValidityBar(QWidget *parent) : QWidget(parent) { setMinimumHeight(22); }
    void set(const QDateTime &from, const QDateTime &to, const QDateTime &now)
    {
        m_from = from;
        m_to = to;
        m_now = now;
        update();
    }

    // "expires in 20 days (of a 90-day lifetime)", "expired 1 day ago": written on the bar.
    QString text() const
    {
        if (!m_from.isValid() || !m_to.isValid() || m_from >= m_to)
            return {};
        const QString words = expiryInWords(m_to, m_now);
        if (m_now >= m_to)
            return words;
        return DetailsPane::tr("%1 (of a %n-day lifetime)", nullptr,
                               int(m_from.secsTo(m_to) / 86400))
            .arg(words);
    }

protected:
    void paintEvent(QPaintEvent *) override
    {
        QPainter p(this);
        const QRect r = rect().adjusted(0, 0, -1, -1);
        p.setPen(palette().color(QPalette::Mid));
        p.setBrush(palette().color(QPalette::Base));
        p.drawRect(r);
        if (!m_from.isValid() || !m_to.isValid() || m_from >= m_to)
            return;
        const double total = double(m_from.secsTo(m_to));
        const double used = std::clamp(double(m_from.secsTo(m_now)) / total, 0.0, 1.0);
        p.setBrush(palette().color(QPalette::Highlight));
        p.drawRect(QRect(r.left(), r.top(), int(r.width() * used), r.height()));
        p.setPen(palette().color(QPalette::Text));
        p.drawText(r, Qt::AlignCenter, text());
    }

private:
    QDateTime m_from, m_to, m_now;
};

DetailsPane::DetailsPane(QWidget *parent) : QWidget(parent)
{
    m_headline = new QLabel(this);
    m_headline->setObjectName(QStringLiteral("headline"));
    m_headline->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_divergence = new QLabel(this);
    m_divergence->setObjectName(QStringLiteral("divergence"));
    m_divergence->setWordWrap(true);
    m_divergence->setFrameShape(QFrame::StyledPanel);
    m_divergence->hide();
    m_snooze = new QLabel(this);
    m_snooze->setObjectName(QStringLiteral("snoozeNote"));
    m_snooze->setWordWrap(true);
    m_snooze->hide();

    m_chain = new QTreeWidget(this);
    m_chain->setObjectName(QStringLiteral("chain"));
    m_chain->setHeaderLabels({tr("Certificate"), tr("Expires"), tr("Days left")});
    m_chain->setRootIsDecorated(true);
    // The dates are what the list is for: they keep their width, the names elide.
    m_chain->header()->setStretchLastSection(false);
    m_chain->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_chain->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_chain->header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    m_chain->setTextElideMode(Qt::ElideMiddle);
    m_limitingNote = new QLabel(this);
    m_limitingNote->setObjectName(QStringLiteral("limitingNote"));
    m_limitingNote->setWordWrap(true);
    m_limitingNote->hide();
    connect(m_chain, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        if (item)
            showCertificate(item->data(0, Qt::UserRole).toInt());
    });

    m_validity = new ValidityBar(this);
    m_fields = new QTextBrowser(this);
    m_text = new QTextBrowser(this);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setLineWrapMode(QTextEdit::NoWrap);
    m_findings = new QTextBrowser(this);
    m_findings->setObjectName(QStringLiteral("findings"));
    m_history = new QTableWidget(this);
    m_history->setObjectName(QStringLiteral("history"));
    m_history->setColumnCount(4);
    m_history->setHorizontalHeaderLabels(
        {tr("Probed"), tr("Address"), tr("Status"), tr("Days left")});
    m_history->verticalHeader()->hide();
    m_history->horizontalHeader()->setStretchLastSection(true);
    m_history->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_timeline = new ExpiryTimelineChart(this);
    m_timeline->setObjectName(QStringLiteral("timeline"));

    auto *certificate = new QWidget(this);
    auto *certificateLayout = new QVBoxLayout(certificate);
    certificateLayout->setContentsMargins(0, 0, 0, 0);
    certificateLayout->addWidget(m_validity);
    certificateLayout->addWidget(m_fields);
    auto *buttons = new QHBoxLayout;
    m_copyPem = new QPushButton(tr("&Copy PEM"), this);
    m_savePem = new QPushButton(tr("Sa&ve PEM..."), this);
    m_renew = new QPushButton(tr("Renewal &request..."), this);
    m_renew->setObjectName(QStringLiteral("renewalRequest"));
    m_renew->setToolTip(tr("A new private key like this certificate's (never weaker) and a CSR "
                           "with its subject and names, signed with SHA-256. The key is written "
                           "encrypted; its passphrase goes into the system keychain."));
    buttons->addWidget(m_copyPem);
    buttons->addWidget(m_savePem);
    buttons->addWidget(m_renew);
    buttons->addStretch();
    certificateLayout->addLayout(buttons);

    m_tabs = new QTabWidget(this);
    m_tabs->addTab(certificate, tr("Certificate"));
    m_tabs->addTab(m_timeline, tr("Expiry timeline"));
    m_tabs->addTab(m_text, tr("OpenSSL text"));
    m_tabs->addTab(m_findings, tr("Trust"));
    m_tabs->addTab(m_history, tr("History"));

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_chain);
    splitter->addWidget(m_tabs);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({380, 620});

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_headline);
    layout->addWidget(m_divergence);
    layout->addWidget(m_snooze);
    layout->addWidget(m_limitingNote);
    layout->addWidget(splitter, 1); // the headline keeps its height when the pane grows

    const auto currentPem = [this]() -> QString {
        const int index = m_chain->currentItem()
            ? m_chain->currentItem()->data(0, Qt::UserRole).toInt()
            : -1;
        if (index < 0 || index >= m_path.size())
            return {};
        const CertificateInfo &c = m_path.at(index);
        return c.pem;
    };
    connect(m_copyPem, &QPushButton::clicked, this,
            [currentPem] { QApplication::clipboard()->setText(currentPem()); });
    connect(m_savePem, &QPushButton::clicked, this, [this, currentPem] {
        const QString pem = currentPem();
        if (pem.isEmpty())
            return;
        const QString path = QFileDialog::getSaveFileName(this, tr("Save PEM"),
                                                          QStringLiteral("certificate.pem"),
                                                          tr("PEM certificates (*.pem *.crt)"));
        QString error;
        if (!path.isEmpty() && !writeFileAtomically(path, pem.toUtf8(), &error))
            QMessageBox::warning(this, tr("Save PEM"), error);
    });
    connect(m_renew, &QPushButton::clicked, this, [this] {
        const QString directory =
            QFileDialog::getExistingDirectory(this, tr("Folder for key.pem and csr.pem"));
        if (directory.isEmpty())
            return;
        const RenewalFiles files = requestRenewal(directory);
        if (files.failure != RenewalFiles::Failure::None)
            QMessageBox::warning(this, tr("Renewal request"), files.error);
        else
            QMessageBox::information(
                this, tr("Renewal request"),
                tr("Wrote %1 (a new %2 key, encrypted) and %3. The key's passphrase is in the "
                   "keychain as \"%4\" (certdash secret check reads it).")
                    .arg(files.keyPath, files.keyType.describe(), files.csrPath, files.secretName));
    });
    clear();
}

RenewalFiles DetailsPane::requestRenewal(const QString &directory)
{
    const int index = m_chain->currentItem() ? m_chain->currentItem()->data(0, Qt::UserRole).toInt()
                                             : -1;
    if (index < 0 || index >= m_path.size() || m_path.at(index).der.isEmpty()) {
        RenewalFiles none;
        none.failure = RenewalFiles::Failure::Request;
        none.error = tr("No certificate is selected.");
        return none;
    }
    if (!m_secrets)
        m_secrets = std::make_shared<KeychainSecretStore>();
    return writeRenewalFiles(m_path.at(index).der, directory, *m_secrets);
}

void DetailsPane::clear()
{
    m_headline->setText(tr("Select an endpoint to see its certificates."));
    m_divergence->hide();
    m_snooze->hide();
    m_limitingNote->hide();
    m_chain->clear();
    m_fields->clear();
    m_text->clear();
    m_findings->clear();
    m_history->setRowCount(0);
    m_timeline->clear();
    m_path.clear();
    m_validity->set({}, {}, {});
    m_copyPem->setEnabled(false);
    m_savePem->setEnabled(false);
    m_renew->setEnabled(false);
}

void DetailsPane::setSnoozeNote(const QString &note)
{
    m_snooze->setText(note);
    m_snooze->setVisible(!note.isEmpty());
}

QString DetailsPane::snoozeNote() const
{
    return m_snooze->isHidden() ? QString() : m_snooze->text();
}

QString DetailsPane::divergenceText() const
{
    return m_divergence->isHidden() ? QString() : m_divergence->text();
}

QString DetailsPane::headlineText() const
{
    return m_headline->text();
}

QString DetailsPane::limitingNoteText() const
{
    return m_limitingNote->isHidden() ? QString() : m_limitingNote->text();
}

QString DetailsPane::selectedCertificateName() const
{
    const int index = m_chain->currentItem() ? m_chain->currentItem()->data(0, Qt::UserRole).toInt()
                                             : -1;
    return index >= 0 && index < m_path.size() ? m_path.at(index).displayName() : QString();
}

QString DetailsPane::validityText() const
{
    return m_validity->text();
}

int DetailsPane::chainRowCount() const
{
    int count = 0;
    for (QTreeWidgetItem *item = m_chain->topLevelItemCount() ? m_chain->topLevelItem(0) : nullptr;
         item; item = item->childCount() ? item->child(0) : nullptr)
        ++count;
    return count;
}

void DetailsPane::showResult(const ProbeResult &r, const QList<ProbeResult> &siblings,
                             const QList<HistoryPoint> &history, const QDateTime &now,
                             const ExpiryPolicy &policy)
{
    clear();
    m_now = now;
    // The status, and how far the limiting certificate is from its expiry in words.
    const QString status = r.limiting ? tr("%1, %2").arg(statusLabel(r.status),
                                                         expiryInWords(r.limiting->notAfter, now))
                                      : statusLabel(r.status);
    m_headline->setText(tr("<b>%1</b> &nbsp; %2 &nbsp; SNI %3 &nbsp; %4")
                            .arg(r.target.label().toHtmlEscaped(), r.address.toHtmlEscaped(),
                                 r.sni.isEmpty() ? tr("(none)") : r.sni.toHtmlEscaped(),
                                 status.toHtmlEscaped())
                        + (r.error.isEmpty() ? QString()
                                             : tr("<br>%1").arg(r.error.toHtmlEscaped())));

    // One bad backend behind a load balancer: say so before anything else.
    QStringList different;
    const QString leafFingerprint = r.leaf() ? r.leaf()->sha256Fingerprint : QString();
    for (const ProbeResult &s : siblings) {
        if (s.address == r.address || !s.leaf())
            continue;
        if (s.leaf()->sha256Fingerprint != leafFingerprint)
            different << tr("%1 serves %2 (expires %3)")
                             .arg(s.address, s.leaf()->displayName(),
                                  QLocale().toString(s.leaf()->notAfter.toLocalTime().date(),
                                                     QLocale::ShortFormat));
    }
    if (!different.isEmpty() && !leafFingerprint.isEmpty()) {
        m_divergence->setText(tr("\u26A0 Backend divergence: the addresses of this target serve "
                                 "different certificates. %1")
                                  .arg(different.join(QStringLiteral("; "))));
        m_divergence->show();
    }

    // The chain as clients use it: leaf at the top, each issuer under it.
    m_path = clientPath(r);
    // The details open on the certificate that decides the status, which is not always the
    // leaf: an intermediate that expires first breaks the endpoint first.
    const int limiting = r.hasCertificate() ? limitingIndex(m_path) : -1;
    QTreeWidgetItem *limitingItem = nullptr;
    QTreeWidgetItem *parent = nullptr;
    for (int i = 0; i < m_path.size(); ++i) {
        const CertificateInfo &c = m_path.at(i);
        const QString role = i == 0 ? tr("Leaf")
            : (i == m_path.size() - 1 && c.selfIssued ? tr("Root") : tr("Intermediate"));
        auto *item = new QTreeWidgetItem(
            QStringList{tr("%1: %2").arg(role, c.displayName()),
                        QLocale().toString(c.notAfter.toLocalTime().date(), QLocale::ShortFormat),
                        QString::number(daysLeft(c.notAfter, now))});
        item->setData(0, Qt::UserRole, i);
        item->setToolTip(0, c.displayName());
        item->setToolTip(2, expiryInWords(c.notAfter, now));
        if (i == limiting) {
            limitingItem = item;
            QFont bold = item->font(0);
            bold.setBold(true);
            for (int column = 0; column < 3; ++column) {
                item->setFont(column, bold);
                item->setToolTip(column, tr("Limiting: the earliest expiry on the path clients "
                                            "use decides this endpoint's status"));
            }
        }
        if (parent)
            parent->addChild(item);
        else
            m_chain->addTopLevelItem(item);
        parent = item;
    }
    m_chain->expandAll();
    if (limitingItem)
        m_chain->setCurrentItem(limitingItem);
    else if (m_chain->topLevelItemCount() > 0)
        m_chain->setCurrentItem(m_chain->topLevelItem(0));
    if (limiting > 0) {
        const CertificateInfo &cert = m_path.at(limiting);
        const CertificateInfo &leaf = m_path.constFirst();
        const QString role = limiting == m_path.size() - 1 && cert.selfIssued ? tr("root")
                                                                              : tr("intermediate");
        m_limitingNote->setText(
            tr("\u23F3 Limiting certificate: the %1 %2 expires %3, before the leaf (%4). The "
               "endpoint breaks when it expires, whatever the leaf says; renewing the leaf alone "
               "does not help.")
                .arg(role, cert.displayName(),
                     QLocale().toString(cert.notAfter.toLocalTime().date(), QLocale::ShortFormat),
                     QLocale().toString(leaf.notAfter.toLocalTime().date(), QLocale::ShortFormat)));
        m_limitingNote->show();
    }

    QString findings;
    if (r.hasCertificate())
        findings += QStringLiteral("<p><b>%1</b></p>")
                        .arg(explainTrustVerdict(r.trustVerdict, r.trust.kinds).toHtmlEscaped());
    for (qsizetype i = 0; i < r.trust.findings.size(); ++i) {
        const FindingKind kind = i < r.trust.kinds.size() ? r.trust.kinds.at(i) : FindingKind::Other;
        findings += QStringLiteral("<p><b>%1</b><br>%2</p>")
                        .arg(r.trust.findings.at(i).toHtmlEscaped(),
                             explainFinding(kind).toHtmlEscaped());
    }
    if (r.trust.findings.isEmpty() && r.hasCertificate())
        findings += tr("<p>The chain verifies to a trust anchor and names this host.</p>");
    m_findings->setHtml(findings);

    m_history->setRowCount(int(history.size()));
    for (int row = 0; row < history.size(); ++row) {
        // Newest first: the question is usually "since when?".
        const HistoryPoint &h = history.at(history.size() - 1 - row);
        const auto set = [&](int column, const QString &text) {
            m_history->setItem(row, column, new QTableWidgetItem(text));
        };
        set(0, QLocale().toString(h.probedAt.toLocalTime(), QLocale::ShortFormat));
        set(1, h.address);
        set(2, statusLabel(h.status));
        m_history->item(row, 2)->setIcon(statusIcon(h.status));
        set(3, h.daysLeft ? QString::number(*h.daysLeft) : QString());
    }
    m_timeline->setTimeline(buildTimeline(history, r, policy, now));
}

void DetailsPane::showCertificate(int index)
{
    if (index < 0 || index >= m_path.size())
        return;
    const CertificateInfo &c = m_path.at(index);
    m_validity->set(c.notBefore, c.notAfter, m_now);
    const auto row = [](const QString &name, const QString &value) {
        return QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
            .arg(name.toHtmlEscaped(), value.toHtmlEscaped());
    };
    QString html = QStringLiteral("<table cellspacing=4>");
    html += row(tr("Subject"), c.subject);
    html += row(tr("Issuer"), c.issuer);
    html += row(tr("Valid from"), QLocale().toString(c.notBefore.toLocalTime(), QLocale::LongFormat));
    html += row(tr("Valid until"), QLocale().toString(c.notAfter.toLocalTime(), QLocale::LongFormat));
    // A certificate may carry 10,000 names: the field lists the first ones, the text dump below
    // has them all, and the pane stays quick to lay out.
    constexpr int kShownNames = 100;
    QString names = c.subjectAltNames.mid(0, kShownNames).join(QStringLiteral(", "));
    if (c.subjectAltNames.size() > kShownNames)
        names += tr(", ... and %n more", nullptr, int(c.subjectAltNames.size() - kShownNames));
    html += row(tr("Names (SAN)"), names);
    html += row(tr("Key"), c.curve.isEmpty() ? tr("%1 %2 bits").arg(c.keyType).arg(c.keyBits)
                                             : tr("%1 %2").arg(c.keyType, c.curve));
    html += row(tr("Signature"), c.signatureAlgorithm);
    html += row(tr("Serial"), c.serial);
    html += row(tr("SHA-256"), c.sha256Fingerprint);
    html += row(tr("Key usage"), (c.keyUsage + c.extendedKeyUsage).join(QStringLiteral(", ")));
    html += row(tr("OCSP"), c.ocspUrls.join(QStringLiteral(", ")));
    html += row(tr("CRL"), c.crlUrls.join(QStringLiteral(", ")));
    html += row(tr("Embedded SCTs"), QString::number(c.sctCount));
    html += QStringLiteral("</table>");
    m_fields->setHtml(html);
    m_text->setPlainText(certificateText(c));
    m_copyPem->setEnabled(!c.pem.isEmpty());
    m_savePem->setEnabled(!c.pem.isEmpty());
    m_renew->setEnabled(!c.der.isEmpty());
}

} // namespace certdash
