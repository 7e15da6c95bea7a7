#pragma once

#include "Prober.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QTimer>

#include <memory>

class QTcpSocket;

namespace certdash {

class StartTlsDialogue;
class TlsClientSession;

// One probe of one (target, address): connect -> [STARTTLS] -> TLS handshake -> read the chain ->
// verify -> classify. Asynchronous; emits finished() exactly once, whatever the server does,
// within the timeout. A fresh connection every time: no session resumption, so the server always
// presents its certificates; nothing is sent beyond the handshake and what STARTTLS needs.
// Qt's socket carries the bytes; TlsClientSession (OpenSSL, one shared context) does the TLS.
//
// Bounds that hold against a hostile server: one deadline (a precise timer, checked against the
// clock) for the whole probe including its polite close; at most kReadChunkBytes read and
// processed per turn of the event loop, so that a server flooding records cannot starve the
// timers and the other probes; at most kMaxReceivedBytes received before the handshake completes.
class TlsProber : public Prober
{
    Q_OBJECT
public:
    TlsProber(const Target &target, const QString &address, const ProbeOptions &options,
              QObject *parent = nullptr);
    ~TlsProber() override;

    // Read and processed per readyRead at most; also the socket's read buffer.
    static constexpr qint64 kReadChunkBytes = 64 * 1024;
    // What a server may send before the handshake completes (STARTTLS dialogue included): room
    // for a certificate message of several MiB, and a flooding server costs a bounded amount.
    static constexpr qint64 kMaxReceivedBytes = 8 * 1024 * 1024;
    // What is read (and dropped) while closing politely, at most.
    static constexpr qint64 kMaxDrainedOnClose = 64 * 1024;

    void start(qint64 resolvedInMs = 0) override;
    void cancel() override;

private:
    void onConnected();
    void onReadable();
    void onPlaintextReadable(const QByteArray &received);
    void startHandshake();
    void advanceHandshake(const QByteArray &received);
    void onEncrypted();
    // Reads the chain the server sent, verifies and classifies it, and finishes.
    void readPresentedChain();
    // The client-authentication finding of the handshake, if any (after verification).
    void addClientCertificateFinding();
    void onSocketError();
    void onTimeout();
    void finishWithFailure(Status status, const QString &error);
    // The online revocation check when the target asks for one, then finish().
    void checkRevocationThenFinish(const QByteArray &issuerDer);
    void finish();
    QString stageDescription() const;
    void closePolitely();

    enum class Stage { Idle, Connecting, StartTls, Handshake, Done };

    ProbeOptions m_options;
    ProbeResult m_result;
    Stage m_stage = Stage::Idle;
    QTcpSocket *m_socket = nullptr;
    std::unique_ptr<StartTlsDialogue> m_dialogue;
    std::unique_ptr<TlsClientSession> m_tls;
    QTimer m_deadline;        // fires at m_expiry (precise; re-armed if it ever fires early)
    QDeadlineTimer m_expiry;  // the end of the whole probe, close included
    QElapsedTimer m_elapsed;
    qint64 m_resolvedInMs = 0;
    qint64 m_received = 0;
    std::optional<ProxyServer> m_proxy; // the proxy this probe connects through, if any
};

} // namespace certdash
