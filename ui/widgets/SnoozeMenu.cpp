#include "SnoozeMenu.h"

#include "alerts/AlertService.h"

#include <QLocale>
#include <QMessageBox>

#include <algorithm>

namespace certdash {

SnoozeMenu::SnoozeMenu(std::function<QList<qint64>()> selectedTargets, QWidget *parent)
    : QMenu(tr("S&nooze alerts"), parent)
    , m_selectedTargets(std::move(selectedTargets)) {
    setObjectName(QStringLiteral("snoozeMenu"));
    m_actions[OneDay] = addAction(tr("For 1 &day"), this, [this] { apply(OneDay); });
    m_actions[OneWeek] = addAction(tr("For 1 &week"), this, [this] { apply(OneWeek); });
    m_actions[UntilRenewed] =
        addAction(tr("&Until renewed (acknowledge)"), this, [this] { apply(UntilRenewed); });
    addSeparator();
    m_actions[Resume] = addAction(tr("&Resume alerts"), this, [this] { apply(Resume); });
    m_actions[OneDay]->setObjectName(QStringLiteral("snoozeOneDay"));
    m_actions[OneWeek]->setObjectName(QStringLiteral("snoozeOneWeek"));
    m_actions[UntilRenewed]->setObjectName(QStringLiteral("snoozeUntilRenewed"));
    m_actions[Resume]->setObjectName(QStringLiteral("resumeAlerts"));
    // Checked only when shown: with 100,000 rows selected this is 100,000 hash lookups, fine
    // once per opening but not on every selection change.
    connect(this, &QMenu::aboutToShow, this, [this] { updateActions(true); });
    updateActions(false);
}

void SnoozeMenu::setAlertService(AlertService *alerts) {
    if (m_alerts)
        disconnect(m_alerts, nullptr, this, nullptr);
    m_alerts = alerts;
    if (alerts)
        connect(alerts, &AlertService::snoozeChanged, this, &SnoozeMenu::snoozeChanged);
    updateActions(false);
}

AlertService *SnoozeMenu::alertService() const {
    return m_alerts;
}

void SnoozeMenu::updateActions(bool forSelection) {
    const bool available = m_alerts != nullptr;
    menuAction()->setEnabled(available);
    for (QAction *a : m_actions)
        a->setEnabled(available);
    if (!available || !forSelection)
        return;
    const QList<qint64> targets = m_selectedTargets();
    const bool anySnoozed = std::any_of(targets.cbegin(), targets.cend(), [this](qint64 id) {
        return m_alerts->snoozeFor(id).has_value();
    });
    for (Choice c : {OneDay, OneWeek, UntilRenewed})
        m_actions[c]->setEnabled(!targets.isEmpty());
    m_actions[Resume]->setEnabled(anySnoozed);
}

void SnoozeMenu::apply(Choice choice) {
    if (!m_alerts)
        return;
    QString error;
    for (const qint64 id : m_selectedTargets()) {
        bool ok = false;
        switch (choice) {
        case OneDay:
            ok = m_alerts->snooze(id, SnoozeKind::OneDay, &error);
            break;
        case OneWeek:
            ok = m_alerts->snooze(id, SnoozeKind::OneWeek, &error);
            break;
        case UntilRenewed:
            ok = m_alerts->snooze(id, SnoozeKind::UntilRenewed, &error);
            break;
        case Resume:
            ok = !m_alerts->snoozeFor(id) || m_alerts->clearSnooze(id, &error);
            break;
        }
        if (!ok) {
            // The store refused: the rest would fail the same way.
            QMessageBox::warning(parentWidget(), tr("Snooze alerts"),
                                 tr("The snooze could not be saved: %1").arg(error));
            return;
        }
    }
}

QString SnoozeMenu::noteFor(qint64 targetId) const {
    if (!m_alerts)
        return {};
    const std::optional<AlertSnooze> snooze = m_alerts->snoozeFor(targetId);
    return snooze ? noteFor(*snooze) : QString();
}

QString SnoozeMenu::noteFor(const AlertSnooze &snooze) {
    if (snooze.untilRenewed)
        return tr("Alerts snoozed until a new certificate is served (acknowledged).");
    return tr("Alerts snoozed until %1.")
        .arg(QLocale().toString(snooze.until.toLocalTime(), QLocale::ShortFormat));
}

} // namespace certdash
