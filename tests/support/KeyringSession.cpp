#include "KeyringSession.h"
#include "ServerProcess.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusServiceWatcher>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QSignalSpy>

#include <csignal>

namespace certdash::test {

namespace {
const char kSecretsService[] = "org.freedesktop.secrets";

// Neither daemon may outlive a test that crashes or is killed (nor hold its output open).
void detachFromTestOutput(QProcess &process) {
    endWithTest(process);
    process.setStandardErrorFile(QProcess::nullDevice());
}

QProcessEnvironment privateDirectories(const QString &root) {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HOME"), root + QStringLiteral("/home"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), root + QStringLiteral("/home/.config"));
    env.insert(QStringLiteral("XDG_DATA_HOME"), root + QStringLiteral("/home/.local/share"));
    env.insert(QStringLiteral("XDG_CACHE_HOME"), root + QStringLiteral("/home/.cache"));
    env.insert(QStringLiteral("XDG_STATE_HOME"), root + QStringLiteral("/home/.local/state"));
    env.insert(QStringLiteral("XDG_RUNTIME_DIR"), root + QStringLiteral("/run"));
    env.remove(QStringLiteral("DISPLAY")); // no prompt window, ever
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    env.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
    env.remove(QStringLiteral("GNOME_KEYRING_CONTROL"));
    env.remove(QStringLiteral("CERTDASH_CLIENT_KEY_PASSPHRASE"));
    env.remove(QStringLiteral("CERTDASH_PROXY_PASSWORD"));
    return env;
}
} // namespace

KeyringSession::KeyringSession() = default;

KeyringSession::~KeyringSession() {
    stopKeyring();
    if (m_bus) {
        m_bus->terminate();
        if (!m_bus->waitForFinished(5000))
            m_bus->kill();
        m_bus->waitForFinished(5000);
    }
}

QString KeyringSession::start() {
    if (!m_dir.isValid())
        return QStringLiteral("no temporary directory");
    const QString root = m_dir.path();
    for (const QString &sub :
         {QStringLiteral("/home/.config"), QStringLiteral("/home/.local/share"),
          QStringLiteral("/home/.cache"), QStringLiteral("/run")})
        QDir().mkpath(root + sub);
    QFile::setPermissions(root + QStringLiteral("/run"),
                          QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);

    // A session bus without <standard_session_servicedirs/>: no service is ever activated.
    QFile config(root + QStringLiteral("/bus.conf"));
    if (!config.open(QIODevice::WriteOnly))
        return QStringLiteral("cannot write the bus configuration");
    config.write(
        QStringLiteral(
            "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration "
            "1.0//EN\" \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
            "<busconfig><type>session</type><listen>unix:dir=%1</listen>"
            "<policy context=\"default\"><allow send_destination=\"*\" eavesdrop=\"true\"/>"
            "<allow eavesdrop=\"true\"/><allow own=\"*\"/></policy></busconfig>\n")
            .arg(root + QStringLiteral("/run"))
            .toUtf8());
    config.close();

    m_bus = std::make_unique<QProcess>();
    m_bus->setProcessEnvironment(privateDirectories(root));
    detachFromTestOutput(*m_bus);
    m_bus->start(QStringLiteral("dbus-daemon"),
                 {QStringLiteral("--config-file=") + config.fileName(), QStringLiteral("--nofork"),
                  QStringLiteral("--print-address=1")});
    if (!m_bus->waitForStarted(10000))
        return QStringLiteral("dbus-daemon did not start: ") + m_bus->errorString();
    while (!m_bus->canReadLine()) {
        if (!m_bus->waitForReadyRead(10000))
            return QStringLiteral("dbus-daemon printed no address");
    }
    m_busAddress = QString::fromUtf8(m_bus->readLine()).trimmed();

    // Watch for the Secret Service before starting it: it is ready once it owns its name.
    QDBusConnection bus =
        QDBusConnection::connectToBus(m_busAddress, QStringLiteral("certdash-keyring-watch"));
    if (!bus.isConnected())
        return QStringLiteral("cannot connect to the private bus: ") + bus.lastError().message();
    QDBusServiceWatcher watcher(QString::fromLatin1(kSecretsService), bus,
                                QDBusServiceWatcher::WatchForRegistration);
    QSignalSpy registered(&watcher, &QDBusServiceWatcher::serviceRegistered);

    m_keyring = std::make_unique<QProcess>();
    m_keyring->setProcessEnvironment(environment());
    detachFromTestOutput(*m_keyring);
    m_keyring->setStandardOutputFile(QProcess::nullDevice());
    m_keyring->start(QStringLiteral("gnome-keyring-daemon"),
                     {QStringLiteral("--foreground"), QStringLiteral("--unlock"),
                      QStringLiteral("--components=secrets")});
    if (!m_keyring->waitForStarted(10000))
        return QStringLiteral("gnome-keyring-daemon did not start: ") + m_keyring->errorString();
    m_keyring->write("test-keyring-password");
    m_keyring->closeWriteChannel();
    const bool ready = bus.interface()->isServiceRegistered(QString::fromLatin1(kSecretsService)) ||
                       registered.wait(20000);
    QDBusConnection::disconnectFromBus(QStringLiteral("certdash-keyring-watch"));
    if (!ready)
        return QStringLiteral("gnome-keyring-daemon never owned org.freedesktop.secrets");
    return {};
}

void KeyringSession::stopKeyring() {
    if (!m_keyring)
        return;
    m_keyring->terminate();
    if (!m_keyring->waitForFinished(5000))
        m_keyring->kill();
    m_keyring->waitForFinished(5000);
    m_keyring.reset();
}

void KeyringSession::pauseKeyring(bool paused) {
    if (m_keyring && m_keyring->processId() > 0)
        ::kill(pid_t(m_keyring->processId()), paused ? SIGSTOP : SIGCONT);
}

QProcessEnvironment KeyringSession::environment() const {
    QProcessEnvironment env = privateDirectories(m_dir.path());
    env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), m_busAddress);
    return env;
}

QProcessEnvironment KeyringSession::environmentWithoutBus() const {
    return privateDirectories(m_dir.path());
}

void KeyringSession::applyToThisProcess() const {
    const QProcessEnvironment env = environment();
    for (const QString &name : env.keys())
        qputenv(name.toLocal8Bit().constData(), env.value(name).toLocal8Bit());
    for (const char *gone : {"DISPLAY", "WAYLAND_DISPLAY", "GNOME_KEYRING_CONTROL",
                             "CERTDASH_CLIENT_KEY_PASSPHRASE", "CERTDASH_PROXY_PASSWORD"})
        qunsetenv(gone);
}

QStringList filesContaining(const QString &root, const QByteArray &needle) {
    QStringList found;
    QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile file(path);
        if (file.open(QIODevice::ReadOnly) && file.readAll().contains(needle))
            found << QDir(root).relativeFilePath(path);
    }
    return found;
}

} // namespace certdash::test
