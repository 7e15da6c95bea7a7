#pragma once

#include "alerts/AlertState.h"

#include <QMenu>
#include <QPointer>

#include <functional>
#include <optional>

namespace certdash {

class AlertService;

// "Snooze alerts" for the targets selected in the window: for 1 day, for 1 week, until renewed
// (the acknowledgement: the core has no other), or resume. The window shows one instance in its
// Targets menu and in the table's context menu. The AlertService belongs to TrayIntegration, which
// hands it over; until then (and after it is gone) every action is disabled.
class SnoozeMenu : public QMenu {
    Q_OBJECT
public:
    enum Choice { OneDay, OneWeek, UntilRenewed, Resume };

    SnoozeMenu(std::function<QList<qint64>()> selectedTargets, QWidget *parent = nullptr);

    void setAlertService(AlertService *alerts);
    AlertService *alertService() const;
    QAction *action(Choice choice) const { return m_actions[choice]; }

    // "" when the target's alerts are not snoozed, else what the table and details pane say.
    QString noteFor(qint64 targetId) const;
    static QString noteFor(const AlertSnooze &snooze);

signals:
    // A target's snooze was set or cleared, here or by the alert service (a renewal ends one).
    void snoozeChanged(qint64 targetId);

private:
    void apply(Choice choice);
    // Without forSelection, only whether there is an alert service at all.
    void updateActions(bool forSelection);

    std::function<QList<qint64>()> m_selectedTargets;
    QPointer<AlertService> m_alerts;
    QAction *m_actions[4] = {};
};

} // namespace certdash
