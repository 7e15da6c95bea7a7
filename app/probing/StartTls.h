#pragma once

#include "domain/Target.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

#include <memory>

namespace certdash {

// The plaintext dialogue that precedes the TLS handshake on a STARTTLS service, as a pure state
// machine: the prober feeds it what the server sent and writes what it returns. No sockets, so
// every protocol is tested byte for byte without a network.
class StartTlsDialogue
{
    Q_DECLARE_TR_FUNCTIONS(certdash::StartTlsDialogue)

public:
    enum class State { NeedMore, Send, Ready, Failed };
    struct Step
    {
        State state = State::NeedMore;
        QByteArray toSend; // with Send (and possibly with Ready: nothing is ever sent then)
        QString error;     // with Failed: what the server said or did, for the report
    };

    virtual ~StartTlsDialogue() = default;

    // serverName goes where the protocol names the server (XMPP's stream "to").
    static std::unique_ptr<StartTlsDialogue> create(StartTls protocol, const QString &serverName);

    // Bytes to send as soon as the TCP connection is up (protocols where the client speaks
    // first); empty when the server speaks first.
    virtual QByteArray opening() const { return {}; }
    // Feed bytes received from the server; tells what to do next.
    Step feed(const QByteArray &bytes);
    // Which protocol phase the dialogue is in, for timeout messages ("waiting for greeting").
    virtual QString phase() const = 0;

    // A server may not talk forever before TLS starts.
    static constexpr int kMaxBufferedBytes = 64 * 1024;
    // What the dialogue holds of the server's bytes, not yet consumed (the fuzz harness checks
    // it against kMaxBufferedBytes).
    qsizetype bufferedBytes() const { return m_buffer.size(); }

protected:
    virtual Step process(QByteArray &buffer) = 0;
    static Step needMore() { return {}; }
    static Step send(const QByteArray &bytes) { return {State::Send, bytes, {}}; }
    static Step ready() { return {State::Ready, {}, {}}; }
    static Step failed(const QString &error) { return {State::Failed, {}, error}; }

private:
    QByteArray m_buffer;
    bool m_done = false;
};

} // namespace certdash
