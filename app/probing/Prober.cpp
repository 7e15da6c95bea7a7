#include "Prober.h"

#include <QCoreApplication>

#include "QtTlsProber.h"
#include "TlsProber.h"

#include <QAbstractSocket>

#include <atomic>

namespace certdash {

namespace {
std::atomic<int> g_closingSockets{0}; // probes may run in a worker thread
}

Prober *Prober::create(const Target &target, const QString &address, const ProbeOptions &options,
                       QObject *parent) {
    switch (options.engine) {
    case ProbeEngine::Qt:
        return new QtTlsProber(target, address, options, parent);
    case ProbeEngine::OpenSsl:
        break;
    }
    return new TlsProber(target, address, options, parent);
}

int Prober::closingSockets() {
    return g_closingSockets;
}

void Prober::trackClosing(QAbstractSocket *socket) {
    ++g_closingSockets;
    QObject::connect(socket, &QObject::destroyed, [] { --g_closingSockets; });
}

SocketFailure socketFailure(QAbstractSocket::SocketError error, const QString &errorString,
                            bool connecting, const QString &stage,
                            const std::optional<ProxyServer> &proxy, const QString &target) {
    // TlsProber's context: these are the words both engines have always used. Spelled out in
    // full so that lupdate files them under that context too (through a helper it would file
    // them under "certdash", and no translation would ever be found).
    if (proxy && connecting) {
        if (const auto failure = proxyFailure(error, errorString, *proxy, target))
            return {failure->status, failure->error};
    }
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError:
        return {Status::Unreachable,
                QCoreApplication::translate("certdash::TlsProber", "connection refused")};
    case QAbstractSocket::HostNotFoundError:
        return {Status::Unreachable,
                QCoreApplication::translate("certdash::TlsProber", "host not found")};
    case QAbstractSocket::SocketTimeoutError:
        return {Status::Timeout,
                QCoreApplication::translate("certdash::TlsProber", "timed out %1").arg(stage)};
    case QAbstractSocket::RemoteHostClosedError:
        return {
            Status::HandshakeFailed,
            QCoreApplication::translate("certdash::TlsProber", "server closed the connection %1")
                .arg(stage)};
    default:
        break;
    }
    if (connecting)
        return {Status::Unreachable,
                QCoreApplication::translate("certdash::TlsProber", "cannot connect: %1")
                    .arg(errorString)};
    return {Status::HandshakeFailed,
            QCoreApplication::translate("certdash::TlsProber", "TLS handshake failed: %1")
                .arg(errorString)};
}

} // namespace certdash
