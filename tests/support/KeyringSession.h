#pragma once

#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace certdash::test {

// A real keychain of the test's own: a private D-Bus session bus (no service activation, so
// nothing starts behind the test's back) and gnome-keyring-daemon (Secret Service) on it, with
// an unlocked login keyring, HOME and every XDG directory in a fresh temporary directory.
// Stopped (both processes) when destroyed. Nothing of the developer's session is touched.
class KeyringSession {
public:
    KeyringSession();
    ~KeyringSession();
    KeyringSession(const KeyringSession &) = delete;
    KeyringSession &operator=(const KeyringSession &) = delete;

    // Empty on success, else why the keychain could not be started.
    QString start();
    // Stops gnome-keyring-daemon only: the bus stays, the Secret Service is gone.
    void stopKeyring();
    // SIGSTOP/SIGCONT to gnome-keyring-daemon: a Secret Service that owns its name but never
    // answers.
    void pauseKeyring(bool paused);

    // HOME, XDG_* and DBUS_SESSION_BUS_ADDRESS of this session (DISPLAY removed: no prompt).
    QProcessEnvironment environment() const;
    // The same variables set in this very process (before its first D-Bus or keychain use).
    void applyToThisProcess() const;
    // The same private HOME/XDG directories with no session bus at all.
    QProcessEnvironment environmentWithoutBus() const;

    QString home() const { return m_dir.path() + QStringLiteral("/home"); }
    QString keyringDirectory() const { return home() + QStringLiteral("/.local/share/keyrings"); }

private:
    QTemporaryDir m_dir;
    QString m_busAddress;
    std::unique_ptr<QProcess> m_bus;
    std::unique_ptr<QProcess> m_keyring;
};

// Every file under root whose bytes contain needle (paths relative to root).
QStringList filesContaining(const QString &root, const QByteArray &needle);

} // namespace certdash::test
