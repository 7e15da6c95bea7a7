#pragma once

#include "storage/Settings.h"

#include <QDialog>
#include <QGroupBox>

#include <memory>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QSpinBox;

namespace certdash {

class SecretStore;

// One Prometheus of Settings > Fleet: URL, authentication (none, bearer token, Basic user and
// password), CA file for https, read interval. The token or password typed here is handed to
// the caller (secret()) to go to the keychain; it is never part of source().
class FleetSourceDialog : public QDialog {
    Q_OBJECT
public:
    explicit FleetSourceDialog(QWidget *parent = nullptr);

    void setSource(const FleetSourceSettings &source);
    FleetSourceSettings source() const;
    // What was typed into the token/password field ("" keeps what the keychain has).
    QString secret() const;

private:
    void revalidate();

    QLineEdit *m_url;
    QComboBox *m_auth; // data: "none" | "bearer" | "basic"
    QLineEdit *m_user;
    QLineEdit *m_secret;
    QLineEdit *m_caFile;
    QSpinBox *m_interval; // seconds
    QLabel *m_problems;
    QDialogButtonBox *m_buttons;
};

// The Fleet group of the Settings dialog: the Prometheus servers whose fleet rows join the table.
// A token or password entered for a source is written to the keychain (SecretStore, entry
// FleetSource::secretKey()) when its dialog is accepted, and nowhere else.
class FleetSettings : public QGroupBox {
    Q_OBJECT
public:
    explicit FleetSettings(QWidget *parent = nullptr);
    ~FleetSettings() override;

    void setSources(const QList<FleetSourceSettings> &sources);
    QList<FleetSourceSettings> sources() const { return m_sources; }
    // Where secrets go; null (the default) is the OS keychain. Not owned.
    void setSecretStore(SecretStore *store) { m_store = store; }

    // Opens the dialog of a source (row -1: a new one), window-modal (open(), no nested loop).
    FleetSourceDialog *editSource(int row);

signals:
    void changed();

private:
    void refreshList();
    SecretStore &store();

    QListWidget *m_list;
    QList<FleetSourceSettings> m_sources;
    SecretStore *m_store = nullptr;
    std::unique_ptr<SecretStore> m_keychain;
};

} // namespace certdash
