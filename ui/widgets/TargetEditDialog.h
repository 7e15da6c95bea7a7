#pragma once

#include "domain/ExpiryPolicy.h"
#include "domain/Target.h"

#include <QDialog>

#include <functional>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace certdash {

// Adds or edits one target. Every field is checked on each edit by the same rules as target
// files (inventory's buildTarget), so a bad port reads the same in a file and here; OK stays
// disabled while anything is wrong, and the problems are listed in words under the form.
class TargetEditDialog : public QDialog
{
    Q_OBJECT
public:
    explicit TargetEditDialog(QWidget *parent = nullptr);

    void setTarget(const Target &target); // switches to "Edit target"
    // The target as entered (meaningful when isValid()); keeps the id of an edited target.
    Target target() const;
    bool isValid() const { return m_valid.has_value(); }
    QStringList problems() const { return m_problems; }

    // Returns a message when the endpoint already exists elsewhere (empty when not).
    void setDuplicateCheck(std::function<QString(const Target &)> check);
    // The thresholds a target would inherit (from its tags, else the settings) when it sets none
    // of its own: the empty threshold fields say "inherited (30)", so that an inherited value
    // never looks like the target's own.
    void setInheritedPolicy(std::function<ExpiryPolicy(const Target &)> inherited);

private:
    void revalidate();
    void showInherited();

    QLineEdit *m_name;
    QLineEdit *m_host;
    QLineEdit *m_port;
    QLineEdit *m_sni;
    QCheckBox *m_noSni;
    QLineEdit *m_addresses;
    QComboBox *m_startTls;
    QLineEdit *m_tags;
    QLineEdit *m_owner;
    QPlainTextEdit *m_notes;
    QLineEdit *m_warning;
    QLineEdit *m_critical;
    QLineEdit *m_rotation;
    QCheckBox *m_enabled;
    QCheckBox *m_acceptSelfSigned;
    QLineEdit *m_pinIssuer;
    QLineEdit *m_pinSha256;
    QLineEdit *m_clientCert;
    QLineEdit *m_clientKey;
    QLineEdit *m_proxy;
    QComboBox *m_checkRevocation;
    QLabel *m_message;
    QDialogButtonBox *m_buttons;

    qint64 m_id = 0;
    std::optional<Target> m_valid;
    QStringList m_problems;
    std::function<QString(const Target &)> m_duplicateCheck;
    std::function<ExpiryPolicy(const Target &)> m_inherited;
};

} // namespace certdash
