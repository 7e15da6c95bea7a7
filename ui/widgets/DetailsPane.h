#pragma once

#include "domain/ProbeResult.h"
#include "renewal/RenewalFiles.h"
#include "storage/HistoryRepository.h"

#include <QWidget>

#include <memory>

class QLabel;
class QPushButton;
class QTableWidget;
class QTabWidget;
class QTextBrowser;
class QTreeWidget;

namespace certdash {

class SecretStore;

class ExpiryTimelineChart;
class ValidityBar;

// Everything about the selected endpoint: the chain as a tree (leaf, intermediates, root), the
// chosen certificate's fields with a validity bar, its OpenSSL text dump, copy/save PEM, the
// trust findings in plain words, the target's probe history, and a banner when the target's
// addresses serve different certificates (backend divergence).
class DetailsPane : public QWidget
{
    Q_OBJECT
public:
    explicit DetailsPane(QWidget *parent = nullptr);

    // result: the endpoint (with full certificates); siblings: the target's other addresses;
    // policy: the target's effective thresholds, for the expiry timeline.
    void showResult(const ProbeResult &result, const QList<ProbeResult> &siblings,
                    const QList<HistoryPoint> &history, const QDateTime &now,
                    const ExpiryPolicy &policy = {});
    void clear();
    // A line under the headline about the target's snoozed alerts; "" hides it.
    void setSnoozeNote(const QString &note);
    QString snoozeNote() const;

    // For tests: the divergence banner text ("" when hidden) and the chain rows.
    QString divergenceText() const;
    int chainRowCount() const;
    // The headline (status and expiry in words) and the words on the validity bar.
    QString headlineText() const;
    QString validityText() const;
    // "Limiting certificate: the intermediate ... expires ..., before the leaf": shown only when
    // a certificate other than the leaf decides the status.
    QString limitingNoteText() const;
    // The certificate whose fields are shown (the limiting one when a result is opened).
    QString selectedCertificateName() const;
    ExpiryTimelineChart *timeline() const { return m_timeline; }

    // "Renewal request...": a new key like the shown certificate's and a CSR with its names,
    // written into directory (key.pem encrypted, its passphrase in the keychain). The button asks
    // for the folder and calls this; tests call it directly, with their own store.
    RenewalFiles requestRenewal(const QString &directory);
    void setSecretStore(std::shared_ptr<SecretStore> store) { m_secrets = std::move(store); }

private:
    void showCertificate(int index);

    QLabel *m_headline;
    QLabel *m_divergence;
    QLabel *m_snooze;
    QLabel *m_limitingNote;
    QTreeWidget *m_chain;
    QTabWidget *m_tabs;
    ValidityBar *m_validity;
    QTextBrowser *m_fields;
    QTextBrowser *m_text;
    QTextBrowser *m_findings;
    QTableWidget *m_history;
    ExpiryTimelineChart *m_timeline;
    QPushButton *m_copyPem;
    QPushButton *m_savePem;
    QPushButton *m_renew;
    std::shared_ptr<SecretStore> m_secrets; // the OS keychain unless a test sets one
    QList<CertificateInfo> m_path;
    QDateTime m_now;
};

} // namespace certdash
