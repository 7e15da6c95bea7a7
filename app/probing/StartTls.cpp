#include "StartTls.h"

#include <QByteArrayView>
#include <QCoreApplication>
#include <QStringList>

#include <cctype>

namespace certdash {

namespace {

// Server text shown in messages: printable, one line, bounded.
QString quoted(const QByteArray &bytes)
{
    QString text = QString::fromUtf8(bytes.left(200)).trimmed();
    for (QChar &c : text) {
        if (!c.isPrint())
            c = QLatin1Char(' ');
    }
    return text.simplified();
}

// Takes one CRLF- (or LF-) terminated line off the front of buffer.
bool takeLine(QByteArray &buffer, QByteArray &line)
{
    const int end = buffer.indexOf('\n');
    if (end < 0)
        return false;
    line = buffer.left(end);
    if (line.endsWith('\r'))
        line.chop(1);
    buffer.remove(0, end + 1);
    return true;
}

// SMTP and FTP replies: "250-first", "250-more", "250 last". take() returns true with the code
// and all lines once the final line has arrived. It remembers how far it has looked, so a server
// that trickles a long multi-line reply a few bytes per read costs linear time, not a rescan of
// every line on every read (found by fuzz_starttls_ftp: 37 KB of continuation lines in small
// reads took seconds).
class ReplyReader
{
public:
    bool take(QByteArray &buffer, int &code, QList<QByteArray> &lines)
    {
        while (true) {
            const qsizetype end = buffer.indexOf('\n', m_searched);
            if (end < 0) {
                m_searched = buffer.size();
                return false;
            }
            const QByteArrayView line = lineAt(buffer, m_lineStart, end);
            m_lineStart = m_searched = end + 1;
            // FTP allows free text between "220-" and "220 "; the reply ends at "ddd " or "ddd".
            const bool final = line.size() >= 3 && std::isdigit(uchar(line[0]))
                && std::isdigit(uchar(line[1])) && std::isdigit(uchar(line[2]))
                && (line.size() == 3 || line[3] == ' ');
            if (!final)
                continue;
            code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
            lines.clear();
            for (qsizetype from = 0; from < m_lineStart;) {
                const qsizetype lineEnd = buffer.indexOf('\n', from);
                lines << lineAt(buffer, from, lineEnd).toByteArray();
                from = lineEnd + 1;
            }
            buffer.remove(0, m_lineStart);
            m_lineStart = m_searched = 0;
            return true;
        }
    }

private:
    // The line from start up to the '\n' at end, without its '\r'.
    static QByteArrayView lineAt(const QByteArray &buffer, qsizetype start, qsizetype end)
    {
        QByteArrayView line(buffer.constData() + start, end - start);
        if (line.endsWith('\r'))
            line.chop(1);
        return line;
    }

    qsizetype m_lineStart = 0; // where the line being read starts
    qsizetype m_searched = 0;  // no '\n' before this, from m_lineStart on
};

class SmtpDialogue final : public StartTlsDialogue
{
    enum class Phase { Greeting, Ehlo, StartTls } m_phase = Phase::Greeting;
    ReplyReader m_reader;

public:
    QString phase() const override
    {
        switch (m_phase) {
        case Phase::Greeting:
            return StartTlsDialogue::tr("waiting for the SMTP greeting");
        case Phase::Ehlo:
            return StartTlsDialogue::tr("waiting for the EHLO reply");
        case Phase::StartTls:
            return StartTlsDialogue::tr("waiting for the STARTTLS reply");
        }
        return {};
    }

protected:
    Step process(QByteArray &buffer) override
    {
        int code = 0;
        QList<QByteArray> lines;
        if (!m_reader.take(buffer, code, lines))
            return needMore();
        switch (m_phase) {
        case Phase::Greeting:
            if (code != 220)
                return failed(StartTlsDialogue::tr("SMTP server refused the session: %1").arg(quoted(lines.last())));
            m_phase = Phase::Ehlo;
            return send("EHLO certdash.invalid\r\n");
        case Phase::Ehlo: {
            if (code != 250)
                return failed(StartTlsDialogue::tr("SMTP server rejected EHLO: %1").arg(quoted(lines.last())));
            bool offered = false;
            for (const QByteArray &line : lines)
                offered = offered || line.mid(4).trimmed().toUpper().startsWith("STARTTLS");
            if (!offered)
                return failed(StartTlsDialogue::tr("SMTP server does not offer STARTTLS"));
            m_phase = Phase::StartTls;
            return send("STARTTLS\r\n");
        }
        case Phase::StartTls:
            if (code != 220)
                return failed(StartTlsDialogue::tr("SMTP server refused STARTTLS: %1").arg(quoted(lines.last())));
            return ready();
        }
        return needMore();
    }
};

class FtpDialogue final : public StartTlsDialogue
{
    bool m_greeted = false;
    ReplyReader m_reader;

public:
    QString phase() const override
    {
        return m_greeted ? StartTlsDialogue::tr("waiting for the AUTH TLS reply") : StartTlsDialogue::tr("waiting for the FTP greeting");
    }

protected:
    Step process(QByteArray &buffer) override
    {
        int code = 0;
        QList<QByteArray> lines;
        if (!m_reader.take(buffer, code, lines))
            return needMore();
        if (!m_greeted) {
            if (code != 220)
                return failed(StartTlsDialogue::tr("FTP server refused the session: %1").arg(quoted(lines.last())));
            m_greeted = true;
            return send("AUTH TLS\r\n");
        }
        if (code != 234)
            return failed(StartTlsDialogue::tr("FTP server refused AUTH TLS: %1").arg(quoted(lines.last())));
        return ready();
    }
};

class ImapDialogue final : public StartTlsDialogue
{
    bool m_greeted = false;

public:
    QString phase() const override
    {
        return m_greeted ? StartTlsDialogue::tr("waiting for the STARTTLS reply") : StartTlsDialogue::tr("waiting for the IMAP greeting");
    }

protected:
    Step process(QByteArray &buffer) override
    {
        QByteArray line;
        while (takeLine(buffer, line)) {
            if (!m_greeted) {
                if (!line.startsWith("* OK") && !line.startsWith("* PREAUTH"))
                    return failed(StartTlsDialogue::tr("IMAP server refused the session: %1").arg(quoted(line)));
                m_greeted = true;
                return send("a1 STARTTLS\r\n");
            }
            if (line.startsWith("* "))
                continue; // untagged data before the tagged answer
            if (line.startsWith("a1 OK"))
                return ready();
            return failed(StartTlsDialogue::tr("IMAP server refused STARTTLS: %1").arg(quoted(line)));
        }
        return needMore();
    }
};

class Pop3Dialogue final : public StartTlsDialogue
{
    bool m_greeted = false;

public:
    QString phase() const override
    {
        return m_greeted ? StartTlsDialogue::tr("waiting for the STLS reply") : StartTlsDialogue::tr("waiting for the POP3 greeting");
    }

protected:
    Step process(QByteArray &buffer) override
    {
        QByteArray line;
        if (!takeLine(buffer, line))
            return needMore();
        if (!m_greeted) {
            if (!line.startsWith("+OK"))
                return failed(StartTlsDialogue::tr("POP3 server refused the session: %1").arg(quoted(line)));
            m_greeted = true;
            return send("STLS\r\n");
        }
        if (!line.startsWith("+OK"))
            return failed(StartTlsDialogue::tr("POP3 server refused STLS: %1").arg(quoted(line)));
        return ready();
    }
};

// LDAPv3 StartTLS extended operation (RFC 4511 4.14), BER by hand: it is one fixed request and
// one small response.
class LdapDialogue final : public StartTlsDialogue
{
public:
    QByteArray opening() const override
    {
        static const QByteArray oid("1.3.6.1.4.1.1466.20037");
        QByteArray extended;
        extended += char(0x80); // requestName [0]
        extended += char(oid.size());
        extended += oid;
        QByteArray message;
        message += QByteArray::fromHex("020101"); // messageID 1
        message += char(0x77);                     // [APPLICATION 23] ExtendedRequest
        message += char(extended.size());
        message += extended;
        QByteArray envelope;
        envelope += char(0x30);
        envelope += char(message.size());
        envelope += message;
        return envelope;
    }
    QString phase() const override { return StartTlsDialogue::tr("waiting for the LDAP StartTLS response"); }

protected:
    Step process(QByteArray &buffer) override
    {
        int pos = 0;
        int length = 0;
        if (!readHeader(buffer, pos, 0x30, length))
            return pos < 0 ? failed(StartTlsDialogue::tr("LDAP server sent something that is not an LDAP message"))
                           : needMore();
        if (buffer.size() < pos + length)
            return needMore();
        const QByteArray message = buffer.mid(pos, length);
        buffer.remove(0, pos + length);
        int p = 0;
        int len = 0;
        if (!readHeader(message, p, 0x02, len) || p + len > message.size())
            return failed(StartTlsDialogue::tr("LDAP response has no message ID"));
        p += len;
        if (!readHeader(message, p, 0x78, len))
            return failed(StartTlsDialogue::tr("LDAP server did not answer the StartTLS request"));
        // resultCode is an ENUMERATED of a few values (RFC 4511 4.1.9): more than 4 octets is
        // not one, and would overflow while being read.
        if (!readHeader(message, p, 0x0a, len) || len < 1 || len > 4 || p + len > message.size())
            return failed(StartTlsDialogue::tr("LDAP response has no result code"));
        quint32 resultCode = 0;
        for (int i = 0; i < len; ++i)
            resultCode = (resultCode << 8) | uchar(message[p + i]);
        if (resultCode != 0)
            return failed(StartTlsDialogue::tr("LDAP server refused StartTLS (result code %1)").arg(resultCode));
        return ready();
    }

private:
    // Reads tag and BER length at pos. pos = -1 on a wrong tag; false when more bytes are needed.
    static bool readHeader(const QByteArray &data, int &pos, int tag, int &length)
    {
        if (data.size() < pos + 2)
            return false;
        if (uchar(data[pos]) != tag) {
            pos = -1;
            return false;
        }
        int p = pos + 1;
        const uchar first = uchar(data[p++]);
        if (first < 0x80) {
            length = first;
        } else {
            const int octets = first & 0x7f;
            if (octets < 1 || octets > 3) {
                pos = -1;
                return false;
            }
            if (data.size() < p + octets)
                return false;
            length = 0;
            for (int i = 0; i < octets; ++i)
                length = (length << 8) | uchar(data[p++]);
        }
        pos = p;
        return true;
    }
};

class XmppDialogue final : public StartTlsDialogue
{
    QString m_server;
    bool m_askedForTls = false;

public:
    explicit XmppDialogue(const QString &server) : m_server(server) {}
    QByteArray opening() const override
    {
        // The name is already ASCII (punycode or an IP literal); keep only what an XML attribute
        // can hold without escaping.
        QByteArray to;
        for (const char c : m_server.toLatin1()) {
            if (std::isalnum(uchar(c)) || c == '.' || c == '-' || c == ':' || c == '_')
                to += c;
        }
        return "<?xml version='1.0'?><stream:stream to='" + to
            + "' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' "
              "version='1.0'>";
    }
    QString phase() const override
    {
        return m_askedForTls ? StartTlsDialogue::tr("waiting for the XMPP <proceed/>")
                             : StartTlsDialogue::tr("waiting for the XMPP stream features");
    }

protected:
    Step process(QByteArray &buffer) override
    {
        if (!m_askedForTls) {
            if (buffer.contains("<stream:error"))
                return failed(StartTlsDialogue::tr("XMPP server closed the stream: %1").arg(quoted(buffer)));
            int end = buffer.indexOf("</stream:features>");
            if (end < 0)
                end = buffer.indexOf("<stream:features/>");
            if (end < 0)
                return needMore();
            const QByteArray features = buffer.left(end);
            buffer.clear();
            if (!features.contains("urn:ietf:params:xml:ns:xmpp-tls"))
                return failed(StartTlsDialogue::tr("XMPP server does not offer STARTTLS"));
            m_askedForTls = true;
            return send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        }
        const int proceed = buffer.indexOf("<proceed");
        if (proceed >= 0) {
            const int close = buffer.indexOf('>', proceed);
            if (close < 0)
                return needMore();
            buffer.remove(0, close + 1);
            return ready();
        }
        if (buffer.contains("<failure") || buffer.contains("<stream:error"))
            return failed(StartTlsDialogue::tr("XMPP server refused STARTTLS"));
        return needMore();
    }
};

// PostgreSQL SSLRequest: 8 bytes, answered by a single 'S' (go ahead) or 'N' (no TLS here).
class PostgresDialogue final : public StartTlsDialogue
{
public:
    QByteArray opening() const override { return QByteArray::fromHex("0000000804d2162f"); }
    QString phase() const override { return StartTlsDialogue::tr("waiting for the PostgreSQL SSLRequest answer"); }

protected:
    Step process(QByteArray &buffer) override
    {
        if (buffer.isEmpty())
            return needMore();
        const char answer = buffer.at(0);
        if (answer == 'S') {
            buffer.remove(0, 1);
            return ready();
        }
        if (answer == 'N')
            return failed(StartTlsDialogue::tr("PostgreSQL server does not accept TLS connections"));
        if (answer == 'E')
            return failed(StartTlsDialogue::tr("PostgreSQL server answered the SSLRequest with an error"));
        return failed(StartTlsDialogue::tr("PostgreSQL server sent an unexpected answer to the SSLRequest"));
    }
};

} // namespace

std::unique_ptr<StartTlsDialogue> StartTlsDialogue::create(StartTls protocol,
                                                           const QString &serverName)
{
    switch (protocol) {
    case StartTls::None:
        return nullptr;
    case StartTls::Smtp:
        return std::make_unique<SmtpDialogue>();
    case StartTls::Imap:
        return std::make_unique<ImapDialogue>();
    case StartTls::Pop3:
        return std::make_unique<Pop3Dialogue>();
    case StartTls::Ftp:
        return std::make_unique<FtpDialogue>();
    case StartTls::Ldap:
        return std::make_unique<LdapDialogue>();
    case StartTls::Xmpp:
        return std::make_unique<XmppDialogue>(serverName);
    case StartTls::Postgres:
        return std::make_unique<PostgresDialogue>();
    }
    return nullptr;
}

StartTlsDialogue::Step StartTlsDialogue::feed(const QByteArray &bytes)
{
    if (m_done)
        return failed(StartTlsDialogue::tr("server sent data after the dialogue ended"));
    // Checked before appending, and the dialogue ends there: a flood is neither kept in memory
    // nor answered by a later step.
    if (m_buffer.size() + bytes.size() > kMaxBufferedBytes) {
        m_done = true;
        m_buffer.clear();
        return failed(StartTlsDialogue::tr("server sent more than %1 KiB without completing STARTTLS")
                          .arg(kMaxBufferedBytes / 1024));
    }
    m_buffer += bytes;
    Step step = process(m_buffer);
    if (step.state == State::Ready) {
        m_done = true;
        // Anything after the go-ahead would be read as TLS by the handshake: a server that
        // pipelines plaintext here is broken or hostile.
        if (!m_buffer.isEmpty())
            return failed(StartTlsDialogue::tr("server sent unexpected data after agreeing to STARTTLS"));
    } else if (step.state == State::Failed) {
        m_done = true;
    }
    return step;
}

} // namespace certdash
