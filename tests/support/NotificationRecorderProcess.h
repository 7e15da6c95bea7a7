#pragma once

#include <QDBusConnection>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>

#include "ServerProcess.h"

namespace certdash::test {

// A JSON-lines file (the recorder's log, CertDash's event log) as objects, oldest first.
inline QList<QJsonObject> readJsonLines(const QString &path) {
    QList<QJsonObject> out;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return out;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        if (!line.isEmpty())
            out << QJsonDocument::fromJson(line).object();
    }
    return out;
}

// Runs certdash_notification_recorder (a stand-in org.freedesktop.Notifications) for one test
// and reads back the Notify calls it logged. The path of the helper comes from the build
// (CERTDASH_NOTIFICATION_RECORDER).
class NotificationRecorderProcess {
public:
    ~NotificationRecorderProcess() { stop(); }

    // Empty when the recorder owns its names; otherwise why it could not.
    QString start(const QStringList &flags = {}) {
        if (!m_dir.isValid())
            return QStringLiteral("no temporary directory");
        m_log = m_dir.filePath(QStringLiteral("notifications.jsonl"));
        m_process.setProgram(QStringLiteral(CERTDASH_NOTIFICATION_RECORDER));
        m_process.setArguments(QStringList{m_log} + flags);
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
        endWithTest(m_process);
        m_process.start();
        if (!m_process.waitForStarted(5000))
            return m_process.errorString();
        // "ready" once the names are owned; an early exit says why on stderr.
        while (!m_process.canReadLine()) {
            if (!m_process.waitForReadyRead(10000))
                return QString::fromLocal8Bit(m_process.readAllStandardError()).trimmed();
        }
        const QByteArray line = m_process.readLine().trimmed();
        return line == "ready" ? QString() : QString::fromLocal8Bit(line);
    }

    void stop() {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.terminate();
        if (!m_process.waitForFinished(5000))
            m_process.kill();
        m_process.waitForFinished(5000);
    }

    // Every Notify call so far, oldest first.
    QList<QJsonObject> calls() const { return readJsonLines(m_log); }

private:
    QTemporaryDir m_dir;
    QString m_log;
    QProcess m_process;
};

// Why a desktop test cannot run here, or empty: it needs an X server and a session bus.
inline QString desktopMissing() {
    if (qEnvironmentVariableIsEmpty("DISPLAY"))
        return QStringLiteral("needs an X server (DISPLAY); tools/test.sh runs it under xvfb-run");
    if (!QDBusConnection::sessionBus().isConnected())
        return QStringLiteral("needs a D-Bus session bus; tools/test.sh runs it under "
                              "dbus-run-session");
    return {};
}

} // namespace certdash::test
