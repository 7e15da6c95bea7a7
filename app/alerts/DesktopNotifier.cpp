#include "DesktopNotifier.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QLoggingCategory>
#include <QVariantMap>

namespace certdash {

Q_LOGGING_CATEGORY(lcNotify, "certdash.notify")

namespace {
struct Text {
    Q_DECLARE_TR_FUNCTIONS(certdash::DesktopNotifier)
};

const QString kService = QStringLiteral("org.freedesktop.Notifications");
const QString kPath = QStringLiteral("/org/freedesktop/Notifications");
const QString kInterface = QStringLiteral("org.freedesktop.Notifications");
} // namespace

DesktopNotifier::DesktopNotifier(QObject *parent)
    : QObject(parent) {
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected())
        return;
    // Any sender: the service's owner may change (a daemon restarts) while we run; only ids we
    // were given count, see onActionInvoked.
    m_listening = bus.connect(QString(), kPath, kInterface, QStringLiteral("ActionInvoked"), this,
                              SLOT(onActionInvoked(uint, QString)));
}

DesktopNotifier::~DesktopNotifier() {
    if (!m_listening)
        return;
    QDBusConnection::sessionBus().disconnect(QString(), kPath, kInterface,
                                             QStringLiteral("ActionInvoked"), this,
                                             SLOT(onActionInvoked(uint, QString)));
}

bool DesktopNotifier::available() {
    const QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected() || !bus.interface())
        return false;
    return bus.interface()->isServiceRegistered(kService).value();
}

int DesktopNotifier::urgencyFor(const Notification &notification) {
    const bool loud = !notification.renewed && (notification.level == AlertLevel::Critical ||
                                                notification.level == AlertLevel::Expired);
    return loud ? 2 : 1;
}

QString DesktopNotifier::iconFor(const Notification &notification) {
    if (notification.renewed)
        return QStringLiteral("security-high");
    switch (notification.level) {
    case AlertLevel::Critical:
    case AlertLevel::Expired:
        return QStringLiteral("dialog-error");
    case AlertLevel::Warning:
    case AlertLevel::RotationOverdue:
        return QStringLiteral("dialog-warning");
    case AlertLevel::Ok:
        break;
    }
    return QStringLiteral("dialog-information");
}

bool DesktopNotifier::notify(const Notification &notification) {
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected())
        return false;
    QDBusMessage call =
        QDBusMessage::createMethodCall(kService, kPath, kInterface, QStringLiteral("Notify"));
    QVariantMap hints;
    hints.insert(QStringLiteral("urgency"), QVariant::fromValue(uchar(urgencyFor(notification))));
    call << QStringLiteral("CertDash") << uint(0) << iconFor(notification) << notification.title
         << notification.body << QStringList{QStringLiteral("default"), Text::tr("Open")} << hints
         << int(-1);
    const QDBusMessage reply = bus.call(call, QDBus::Block, kReplyTimeoutMs);
    if (reply.type() != QDBusMessage::ReplyMessage || reply.arguments().isEmpty()) {
        qCWarning(lcNotify) << "Notify failed:" << reply.errorMessage();
        return false;
    }
    const uint id = reply.arguments().constFirst().toUInt();
    m_sent.append({id, notification.targetId, notification.address});
    if (m_sent.size() > kRemembered)
        m_sent.removeFirst();
    return true;
}

void DesktopNotifier::onActionInvoked(uint id, const QString &actionKey) {
    if (actionKey != QLatin1String("default"))
        return;
    for (const Sent &sent : std::as_const(m_sent)) {
        if (sent.id == id) {
            emit activated(sent.targetId, sent.address);
            return;
        }
    }
}

} // namespace certdash
