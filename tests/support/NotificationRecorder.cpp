// certdash_notification_recorder: a stand-in desktop notification service for tests.
//
//     certdash_notification_recorder OUTPUT.jsonl [--invoke-default] [--watcher]
//
// Owns org.freedesktop.Notifications on the session bus and appends every Notify call as one
// JSON line (app_name, id, summary, body, icon, actions, hints, timeout) to OUTPUT before it
// answers, so a caller whose blocking Notify has returned can read its line. --invoke-default
// answers each notification that offers a "default" action with ActionInvoked, as if the user
// had clicked it. --watcher also owns org.kde.StatusNotifierWatcher with a registered host, which
// makes Qt show its tray icon as a StatusNotifierItem.
//
// It must be its own process: Qt queries the watcher with blocking calls, which a service in the
// caller's own event loop could never answer. Prints "ready" on stdout once the names are owned;
// exits 2 when a name is already taken (a real notification daemon is running).
#include <QCoreApplication>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusVariant>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>
#include <QTextStream>
#include <QTimer>
#include <QVariantMap>

#include <cstdio>

namespace {

const QString kNotifications = QStringLiteral("org.freedesktop.Notifications");
const QString kNotificationsPath = QStringLiteral("/org/freedesktop/Notifications");
const QString kWatcher = QStringLiteral("org.kde.StatusNotifierWatcher");

QJsonValue toJson(const QVariant &value) {
    // Hints arrive as D-Bus variants: unwrap them, and keep bytes (image-data) out of the log.
    QVariant v = value;
    if (v.canConvert<QDBusVariant>() && v.userType() == qMetaTypeId<QDBusVariant>())
        v = v.value<QDBusVariant>().variant();
    switch (v.typeId()) {
    case QMetaType::QByteArray:
        return QStringLiteral("<%1 bytes>").arg(v.toByteArray().size());
    case QMetaType::UChar:
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
        return v.toLongLong();
    case QMetaType::Bool:
        return v.toBool();
    default:
        break;
    }
    if (v.canConvert<QString>())
        return v.toString();
    return QStringLiteral("<%1>").arg(QString::fromLatin1(v.typeName()));
}

class Notifications : public QObject {
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")
public:
    Notifications(const QString &output, bool invokeDefault)
        : m_output(output)
        , m_invokeDefault(invokeDefault) {}

public slots:
    uint Notify(const QString &appName, uint replacesId, const QString &icon,
                const QString &summary, const QString &body, const QStringList &actions,
                const QVariantMap &hints, int timeout) {
        const uint id = replacesId != 0 ? replacesId : ++m_lastId;
        QJsonObject jsonHints;
        for (auto it = hints.cbegin(); it != hints.cend(); ++it)
            jsonHints.insert(it.key(), toJson(it.value()));
        const QJsonObject line{{QStringLiteral("app_name"), appName},
                               {QStringLiteral("id"), qint64(id)},
                               {QStringLiteral("icon"), icon},
                               {QStringLiteral("summary"), summary},
                               {QStringLiteral("body"), body},
                               {QStringLiteral("actions"), QJsonArray::fromStringList(actions)},
                               {QStringLiteral("hints"), jsonHints},
                               {QStringLiteral("timeout"), timeout}};
        QFile file(m_output);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Append)) {
            std::fprintf(stderr, "cannot append to %s\n", qPrintable(m_output));
        } else {
            file.write(QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n');
            file.close();
        }
        if (m_invokeDefault && actions.contains(QStringLiteral("default"))) {
            // After the reply: a real server can only report a click on a notification its
            // caller already knows the id of.
            QTimer::singleShot(0, this, [this, id] {
                emit ActionInvoked(id, QStringLiteral("default"));
                emit NotificationClosed(id, 2);
            });
        }
        return id;
    }

    QStringList GetCapabilities() { return {QStringLiteral("actions"), QStringLiteral("body")}; }

    QString GetServerInformation(QString &vendor, QString &version, QString &specVersion) {
        vendor = QStringLiteral("CertDash tests");
        version = QStringLiteral("1");
        specVersion = QStringLiteral("1.2");
        return QStringLiteral("certdash_notification_recorder");
    }

    void CloseNotification(uint id) { emit NotificationClosed(id, 3); }

signals:
    void ActionInvoked(uint id, const QString &actionKey);
    void NotificationClosed(uint id, uint reason);

private:
    QString m_output;
    bool m_invokeDefault;
    uint m_lastId = 0;
};

// Just enough of the KDE watcher for Qt to believe a StatusNotifierItem host is there.
class Watcher : public QObject {
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.kde.StatusNotifierWatcher")
    Q_PROPERTY(bool IsStatusNotifierHostRegistered READ isHostRegistered)
    Q_PROPERTY(int ProtocolVersion READ protocolVersion)
    Q_PROPERTY(QStringList RegisteredStatusNotifierItems READ items)
public:
    bool isHostRegistered() const { return true; }
    int protocolVersion() const { return 0; }
    QStringList items() const { return m_items; }

public slots:
    void RegisterStatusNotifierItem(const QString &service, const QDBusMessage &message) {
        // Qt registers its object path; the item's bus name is the caller's.
        const QString item = service.startsWith(u'/') ? message.service() + service : service;
        m_items << item;
        emit StatusNotifierItemRegistered(item);
    }
    void RegisterStatusNotifierHost(const QString &) {}

signals:
    void StatusNotifierItemRegistered(const QString &service);
    void StatusNotifierItemUnregistered(const QString &service);
    void StatusNotifierHostRegistered();

private:
    QStringList m_items;
};

bool own(QDBusConnection &bus, const QString &name) {
    const auto reply =
        bus.interface()->registerService(name, QDBusConnectionInterface::DontQueueService,
                                         QDBusConnectionInterface::DontAllowReplacement);
    return reply.isValid() && reply.value() == QDBusConnectionInterface::ServiceRegistered;
}

} // namespace

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    const bool invokeDefault = args.removeAll(QStringLiteral("--invoke-default")) > 0;
    const bool watcher = args.removeAll(QStringLiteral("--watcher")) > 0;
    if (args.size() != 1) {
        std::fprintf(stderr, "usage: certdash_notification_recorder OUTPUT.jsonl "
                             "[--invoke-default] [--watcher]\n");
        return 3;
    }
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected()) {
        std::fprintf(stderr, "no session bus\n");
        return 2;
    }
    Notifications notifications(args.first(), invokeDefault);
    bus.registerObject(kNotificationsPath, &notifications,
                       QDBusConnection::ExportAllSlots | QDBusConnection::ExportAllSignals);
    if (!own(bus, kNotifications)) {
        std::fprintf(stderr, "org.freedesktop.Notifications is already owned\n");
        return 2;
    }
    Watcher sni;
    if (watcher) {
        bus.registerObject(QStringLiteral("/StatusNotifierWatcher"), &sni,
                           QDBusConnection::ExportAllSlots | QDBusConnection::ExportAllSignals |
                               QDBusConnection::ExportAllProperties);
        if (!own(bus, kWatcher)) {
            std::fprintf(stderr, "org.kde.StatusNotifierWatcher is already owned\n");
            return 2;
        }
    }
    // A recorder must never outlive its test's bus (dbus-run-session ends, the daemon goes).
    QTimer watchdog;
    QObject::connect(&watchdog, &QTimer::timeout, &app, [] {
        if (!QDBusConnection::sessionBus().isConnected())
            QCoreApplication::exit(0);
    });
    watchdog.start(500);
    std::printf("ready\n");
    std::fflush(stdout);
    return app.exec();
}

#include "NotificationRecorder.moc"
