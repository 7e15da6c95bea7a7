#pragma once

#include "Prober.h"
#include "ProxySettings.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QList>
#include <QSslError>
#include <QTimer>

#include <memory>

class QSslConfiguration;
class QSslError;
class QSslSocket;

namespace certdash {

class StartTlsDialogue;

// The probe of TlsProber done by QSslSocket (Qt's OpenSSL backend): the independent engine that
// cross-checks the fast one (`--engine qt`). Same ProbeResult: the presented chain is decoded by
// the same code (CertificateInfo from the X509 Qt holds, through the scan's CertificateCache) and
// judged by the same verifyChain, so findings and trust cannot differ; statuses and messages
// are TlsProber's own (same translation context).
//
// Qt does not verify anything here (VerifyNone, no CA list: ChainVerifier does it with our
// anchors). VerifyNone hides only certificate verdicts (sslHandshakeErrors() stays empty), and
// those come from verifyChain; a failed handshake still surfaces as
// QAbstractSocket::SslHandshakeFailedError with OpenSSL's reason, reported as TlsProber does.
//
// Where it differs (README, "How a probe works"): Qt keeps OpenSSL's 100 KiB limit on the
// Certificate message (it offers no way to raise it), so a 10,000-name certificate or a chain of
// 300 fails the handshake with "excessive message size"; and the bytes a server sends before the
// handshake completes are bounded only by the deadline (Qt reads them for us, 64 KiB a turn).
class QtTlsProber : public Prober {
    Q_OBJECT
public:
    QtTlsProber(const Target &target, const QString &address, const ProbeOptions &options,
                QObject *parent = nullptr);
    ~QtTlsProber() override;

    void start(qint64 resolvedInMs = 0) override;
    void cancel() override;

    // The TLS settings every probe starts from (built once, implicitly shared): a prober's, not
    // a browser's, as TlsClientSession's SSL_CTX.
    static QSslConfiguration baseConfiguration();

private:
    // The configuration of this probe's handshake. A client certificate and key for this probe
    // are set here (QSslConfiguration::setLocalCertificateChain / setPrivateKey on the copy).
    QSslConfiguration configureTls() const;
    void onConnected();
    void onReadable();
    void onEncrypted();
    // The stapled OCSP response as Qt read and judged it (QSslSocket::ocspResponses).
    void judgeStapledResponse();
    void checkRevocationThenFinish(const QByteArray &issuerDer);
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
    std::optional<ProxyServer> m_proxy; // the proxy this probe connects through, if any
    QSslSocket *m_socket = nullptr;
    std::unique_ptr<StartTlsDialogue> m_dialogue;
    QTimer m_deadline;
    QDeadlineTimer m_expiry;
    QElapsedTimer m_elapsed;
    qint64 m_resolvedInMs = 0;
    QList<QSslError> m_ocspErrors; // what Qt found wrong with the stapled response
};

} // namespace certdash
