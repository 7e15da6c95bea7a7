#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

class QObject;

namespace certdash {

// What a name resolved to.
struct Resolution
{
    QStringList addresses; // canonical text, duplicates removed, in the resolver's order
    bool notFound = false; // the resolver said the name does not exist (or has no address)
    QString error;         // otherwise, when there are no addresses: why, in the resolver's words
};

// Resolves names for the scheduler. A lookup that is aborted, or whose owner is gone, is
// abandoned: its callback never runs and nothing waits for it, not even the process's exit.
class HostResolver
{
public:
    using Callback = std::function<void(const Resolution &)>;

    virtual ~HostResolver() = default;
    // Starts resolving asciiHost; callback runs later on context's thread, unless abort(id) was
    // called first. Every lookup must be answered or aborted before context is destroyed.
    virtual int lookup(const QString &asciiHost, QObject *context, Callback callback) = 0;
    // After this returns, the lookup's callback will not run. Unknown ids are ignored.
    virtual void abort(int id) = 0;
};

// getaddrinfo() (A and AAAA, as QHostInfo asks) in a detached thread per lookup. Unlike
// QHostInfo, whose thread pool Qt joins when the application object is destroyed, an abandoned
// lookup never delays anything: with a DNS server that never answers, glibc blocks for its own
// timeout (5 s x 2 attempts by default) and a scan used to outlive its report by that long.
// The thread touches only its own shared state and, while the lookup is wanted, posts the answer.
class SystemResolver final : public HostResolver
{
public:
    // How a name is resolved, blocking; the default calls getaddrinfo(). Tests pass one that
    // blocks for as long as they like.
    using BlockingLookup = std::function<Resolution(const QByteArray &asciiHost)>;

    explicit SystemResolver(BlockingLookup blocking = {});
    ~SystemResolver() override;

    int lookup(const QString &asciiHost, QObject *context, Callback callback) override;
    void abort(int id) override;

    static Resolution getaddrinfoLookup(const QByteArray &asciiHost);

private:
    struct Shared;
    std::shared_ptr<Shared> m_shared;
    BlockingLookup m_blocking;
};

} // namespace certdash
