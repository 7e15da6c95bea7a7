#pragma once

#include "ProbeOptions.h"
#include "domain/ProbeResult.h"

#include <QElapsedTimer>
#include <QObject>
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
class TlsProber : public QObject
{
    Q_OBJECT
public:
    TlsProber(const Target &target, const QString &address, const ProbeOptions &options,
              QObject *parent = nullptr);
    ~TlsProber() override;

    void start();
    // Sockets of finished probes still closing politely; a command line waits for them before
    // it exits so that the last servers also see a clean close.
    static int closingSockets();
    // Stops without emitting finished(). Safe to call at any time.
    void cancel();

signals:
    void finished(const certdash::ProbeResult &result);

private:
    void onConnected();
    void onReadable();
    void onPlaintextReadable();
    void startHandshake();
    void advanceHandshake(const QByteArray &received);
    void onEncrypted();
    void onSocketError();
    void onTimeout();
    void finishWithFailure(Status status, const QString &error);
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
    QTimer m_deadline;
    QElapsedTimer m_elapsed;
};

} // namespace certdash
