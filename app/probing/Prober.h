#pragma once

#include "ProbeOptions.h"
#include "domain/ProbeResult.h"

#include <QAbstractSocket>
#include <QObject>

#include <optional>

namespace certdash {

// One probe of one (target, address), whatever engine does the TLS: connect -> [STARTTLS] ->
// handshake -> read the chain -> verify -> classify -> polite close. Emits finished() exactly
// once, within the options' timeout. The scheduler only sees this interface; create() picks the
// engine named by ProbeOptions::engine.
//
// Where per-probe connection settings go: a proxy is applied to the socket where each engine
// creates it (TlsProber::start, QtTlsProber::start); a client certificate and key where each
// engine configures its TLS (TlsClientSession for OpenSSL, QtTlsProber::configureTls for Qt).
class Prober : public QObject {
    Q_OBJECT
public:
    static Prober *create(const Target &target, const QString &address, const ProbeOptions &options,
                          QObject *parent = nullptr);

    // resolvedInMs: time already spent resolving the name, taken from the timeout.
    virtual void start(qint64 resolvedInMs = 0) = 0;
    // Stops without emitting finished(). Safe to call at any time.
    virtual void cancel() = 0;

    // Sockets of finished probes (either engine) still closing politely; a command line waits
    // for them before it exits so that the last servers also see a clean close.
    static int closingSockets();

signals:
    void finished(const certdash::ProbeResult &result);

protected:
    using QObject::QObject;
    // Counts socket in closingSockets() until it is destroyed.
    static void trackClosing(QAbstractSocket *socket);
};

// How either engine reports a socket error: refused, not found, timed out, closed, or failed in
// the stage it happened (`connecting` or not; `stage` is the engine's "during ..." words). Through
// a proxy, a failure before the tunnel is open is said through the proxy, by its name. One
// mapping, so that both engines report the same status and words (the cross-check requires it).
struct SocketFailure {
    Status status;
    QString error;
};
SocketFailure socketFailure(QAbstractSocket::SocketError error, const QString &errorString,
                            bool connecting, const QString &stage,
                            const std::optional<ProxyServer> &proxy, const QString &target);

} // namespace certdash
