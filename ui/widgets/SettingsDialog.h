#pragma once

#include "storage/Settings.h"

#include <QDialog>

class QCheckBox;
class QDialogButtonBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QSpinBox;

namespace certdash {

class FleetSettings;

// Edits Settings::Values: thresholds, rotation period, probe interval, concurrency, timeout,
// trust anchors, history retention, and alerts (failures before an outage alerts, event log). OK
// stays disabled while Settings::validate() objects, and the objections are shown in words under
// the form.
class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit SettingsDialog(QWidget *parent = nullptr);

    void setValues(const Settings::Values &values);
    Settings::Values values() const;
    // Settings > Fleet: the Prometheus servers read into the table.
    FleetSettings *fleet() const { return m_fleet; }

private:
    void revalidate();

    QSpinBox *m_warning;
    QSpinBox *m_critical;
    QSpinBox *m_rotation; // 0 shows "none"
    QSpinBox *m_interval; // minutes, 0 shows "off"
    QSpinBox *m_concurrency;
    QDoubleSpinBox *m_timeout;
    QComboBox *m_engine;
    QCheckBox *m_checkRevocation;
    QComboBox *m_language; // data: the language code, "" for the system's
    QCheckBox *m_systemAnchors;
    QListWidget *m_anchors;
    QSpinBox *m_keepAll;
    QSpinBox *m_keepDaily;
    QSpinBox *m_failureCount;
    QLineEdit *m_eventLog; // empty: no event log
    QLineEdit *m_clientCert;
    QLineEdit *m_clientKey;
    QLineEdit *m_proxy; // empty: the environment's
    void storeSecret(const QString &name, const QString &what);
    FleetSettings *m_fleet;
    QLabel *m_problems;
    QDialogButtonBox *m_buttons;
};

} // namespace certdash
