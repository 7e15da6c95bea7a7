#include "probing/StartTls.h"

#include <QTest>

using namespace certdash;
using State = StartTlsDialogue::State;

Q_DECLARE_METATYPE(certdash::StartTls)

namespace {
// A scripted server: each entry is what the server sends, then what the client must answer
// ("" = nothing, "READY" = start TLS, "FAIL:<part of the error>").
struct Exchange
{
    QByteArray server;
    QByteArray expected;
};

void runScript(StartTls protocol, const QByteArray &opening, const QList<Exchange> &script)
{
    auto dialogue = StartTlsDialogue::create(protocol, QStringLiteral("mail.example.test"));
    QVERIFY(dialogue);
    QCOMPARE(dialogue->opening(), opening);
    for (const Exchange &e : script) {
        const auto step = dialogue->feed(e.server);
        if (e.expected == "READY") {
            QCOMPARE(int(step.state), int(State::Ready));
        } else if (e.expected.startsWith("FAIL:")) {
            QCOMPARE(int(step.state), int(State::Failed));
            QVERIFY2(step.error.contains(QString::fromUtf8(e.expected.mid(5))),
                     qPrintable(step.error));
        } else if (e.expected.isEmpty()) {
            QCOMPARE(int(step.state), int(State::NeedMore));
        } else {
            QCOMPARE(int(step.state), int(State::Send));
            QCOMPARE(step.toSend, e.expected);
        }
    }
}
} // namespace

class TestStartTls : public QObject
{
    Q_OBJECT
private slots:
    void smtp()
    {
        runScript(StartTls::Smtp, {},
                  {{"220-mx.example.test ESMTP\r\n", ""},
                   {"220 ready\r\n", "EHLO certdash.invalid\r\n"},
                   {"250-mx.example.test\r\n250-PIPELINING\r\n", ""},
                   {"250-STARTTLS\r\n250 8BITMIME\r\n", "STARTTLS\r\n"},
                   {"220 2.0.0 go ahead\r\n", "READY"}});
    }
    void smtpWithoutStartTls()
    {
        runScript(StartTls::Smtp, {},
                  {{"220 mx ESMTP\r\n", "EHLO certdash.invalid\r\n"},
                   {"250-mx\r\n250 8BITMIME\r\n", "FAIL:does not offer STARTTLS"}});
    }
    void smtpRefused()
    {
        runScript(StartTls::Smtp, {},
                  {{"220 mx ESMTP\r\n", "EHLO certdash.invalid\r\n"},
                   {"250-mx\r\n250 STARTTLS\r\n", "STARTTLS\r\n"},
                   {"454 4.7.0 TLS not available\r\n", "FAIL:TLS not available"}});
    }
    void smtpBusyGreeting()
    {
        runScript(StartTls::Smtp, {}, {{"554 no service\r\n", "FAIL:no service"}});
    }
    void imap()
    {
        runScript(StartTls::Imap, {},
                  {{"* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n", "a1 STARTTLS\r\n"},
                   {"* CAPABILITY IMAP4rev1\r\n", ""},
                   {"a1 OK Begin TLS\r\n", "READY"}});
    }
    void imapRefused()
    {
        runScript(StartTls::Imap, {},
                  {{"* OK ready\r\n", "a1 STARTTLS\r\n"}, {"a1 BAD unknown\r\n", "FAIL:unknown"}});
    }
    void pop3()
    {
        runScript(StartTls::Pop3, {},
                  {{"+OK POP3 ready\r\n", "STLS\r\n"}, {"+OK Begin TLS\r\n", "READY"}});
        runScript(StartTls::Pop3, {},
                  {{"+OK POP3\r\n", "STLS\r\n"}, {"-ERR no\r\n", "FAIL:refused STLS"}});
    }
    void ftp()
    {
        runScript(StartTls::Ftp, {},
                  {{"220-Welcome\r\n free text line\r\n220 FTP ready\r\n", "AUTH TLS\r\n"},
                   {"234 AUTH TLS OK\r\n", "READY"}});
        runScript(StartTls::Ftp, {},
                  {{"220 FTP\r\n", "AUTH TLS\r\n"}, {"500 unknown\r\n", "FAIL:AUTH TLS"}});
    }
    void ldap()
    {
        const QByteArray request = QByteArray::fromHex("301d02010177188016") + "1.3.6.1.4.1.1466.20037";
        // ExtendedResponse, messageID 1, resultCode success (0), matchedDN "", diagnostic "".
        const QByteArray success = QByteArray::fromHex("300c02010178070a010004000400");
        runScript(StartTls::Ldap, request, {{success.left(5), ""}, {success.mid(5), "READY"}});
        // unavailable (52)
        const QByteArray refused = QByteArray::fromHex("300c02010178070a013404000400");
        runScript(StartTls::Ldap, request, {{refused, "FAIL:result code 52"}});
        runScript(StartTls::Ldap, request, {{"HTTP/1.1 400", "FAIL:not an LDAP message"}});
    }
    void xmpp()
    {
        auto d = StartTlsDialogue::create(StartTls::Xmpp, QStringLiteral("chat.example.test"));
        QVERIFY(d->opening().contains("to='chat.example.test'"));
        auto step = d->feed("<?xml version='1.0'?><stream:stream from='chat.example.test' "
                            "xmlns:stream='http://etherx.jabber.org/streams'><stream:features>"
                            "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/>");
        QCOMPARE(int(step.state), int(State::NeedMore));
        step = d->feed("</starttls></stream:features>");
        QCOMPARE(int(step.state), int(State::Send));
        QCOMPARE(step.toSend, QByteArray("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"));
        step = d->feed("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        QCOMPARE(int(step.state), int(State::Ready));
    }
    void xmppWithoutStartTls()
    {
        auto d = StartTlsDialogue::create(StartTls::Xmpp, QStringLiteral("chat.example.test"));
        const auto step = d->feed("<stream:stream><stream:features><mechanisms/></stream:features>");
        QCOMPARE(int(step.state), int(State::Failed));
        QVERIFY(step.error.contains(QStringLiteral("does not offer STARTTLS")));
    }
    void postgres()
    {
        const QByteArray sslRequest = QByteArray::fromHex("0000000804d2162f");
        runScript(StartTls::Postgres, sslRequest, {{"S", "READY"}});
        runScript(StartTls::Postgres, sslRequest, {{"N", "FAIL:does not accept TLS"}});
    }
    // A server that keeps talking without ever agreeing is cut off, not buffered forever.
    void endlessServerIsCutOff()
    {
        auto d = StartTlsDialogue::create(StartTls::Smtp, {});
        StartTlsDialogue::Step step;
        const QByteArray chunk(4096, 'x'); // never a line end
        for (int i = 0; i < 40 && step.state == State::NeedMore; ++i)
            step = d->feed(chunk);
        QCOMPARE(int(step.state), int(State::Failed));
        QVERIFY(step.error.contains(QStringLiteral("64 KiB")));
    }
    // One read past the limit (found by fuzz_starttls_ldap): refused before it is kept, and the
    // dialogue is over, so a flood costs no memory and is never answered.
    void floodInOneReadIsNotKept()
    {
        auto d = StartTlsDialogue::create(StartTls::Ldap, {});
        const auto step = d->feed(QByteArray(StartTlsDialogue::kMaxBufferedBytes + 1, '\x30'));
        QCOMPARE(int(step.state), int(State::Failed));
        QVERIFY(step.error.contains(QStringLiteral("64 KiB")));
        QCOMPARE(d->bufferedBytes(), 0);
        const auto next = d->feed(QByteArray::fromHex("300c02010178070a010004000400"));
        QCOMPARE(int(next.state), int(State::Failed));
    }
    // A resultCode longer than any ENUMERATED LDAP has (found by fuzz_starttls_ldap: it
    // overflowed an int while being read) is no result code, not a made-up number.
    void ldapOverlongResultCode()
    {
        const QByteArray request = QByteArray::fromHex("301d02010177188016") + "1.3.6.1.4.1.1466.20037";
        runScript(StartTls::Ldap, request,
                  {{QByteArray::fromHex("3010020101780b0a05ff0000000004000400"),
                    "FAIL:no result code"}});
    }
    // Bytes pipelined after the go-ahead would be fed to the TLS handshake: refuse.
    void dataAfterGoAheadIsRefused()
    {
        runScript(StartTls::Pop3, {},
                  {{"+OK\r\n", "STLS\r\n"}, {"+OK go\r\nEXTRA", "FAIL:unexpected data"}});
    }
};

QTEST_GUILESS_MAIN(TestStartTls)
#include "tst_starttls.moc"
