#pragma once

#include "ProbeOptions.h"
#include "domain/ProbeResult.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QSet>

#include <deque>

class QTimer;

namespace certdash {

class HostResolver;
struct Resolution;
class Prober;

// Runs many probes on one event loop with a bounded number in flight. Each target is first
// expanded to every address it resolves to (A and AAAA), or to its pinned addresses, and each
// address is probed separately with the same SNI: one bad backend behind a load balancer shows up
// as its own result. Results arrive as they complete, in any order.
class ProbeScheduler : public QObject
{
    Q_OBJECT
public:
    explicit ProbeScheduler(const ProbeOptions &options, QObject *parent = nullptr);
    ~ProbeScheduler() override;

    void setConcurrency(int concurrency); // at least 1; default 32
    int concurrency() const { return m_concurrency; }

    // Queues targets; probing starts on the next event-loop turn.
    void enqueue(const QList<Target> &targets);
    // Drops what is queued and aborts what is in flight; emits finished() without more results.
    void cancel();

    bool isRunning() const { return m_running; }
    int completed() const { return m_completed; }
    // The most probes and lookups that were in flight at once (never above concurrency()).
    int peakInFlight() const { return m_peakInFlight; }
    // Results expected so far: known addresses plus one per target not yet resolved.
    int expected() const;

signals:
    // `index` is the target's position in the order it was enqueued (across calls).
    void resultReady(int index, const certdash::ProbeResult &result);
    void progress(int completed, int expected);
    void finished();

private:
    struct Job
    {
        int index = 0;
        Target target;
        QString address;
        qint64 resolvedInMs = 0; // spent resolving the name: taken from the probe's timeout
        QStringList round; // every address of this target probed in this scan
    };

    void pump();
    void startLookup(int index, const Target &target);
    void onLookedUp(int lookupId, const Resolution &answer);
    void onLookupTimeout(int lookupId);
    void startProbe(const Job &job);
    void deliver(int index, const ProbeResult &result);
    void checkFinished();
    void abortAll();

    ProbeOptions m_options;
    int m_concurrency = 32;
    bool m_running = false;
    bool m_pumpQueued = false;
    int m_nextIndex = 0;
    int m_completed = 0;
    int m_inFlight = 0;
    int m_peakInFlight = 0;
    std::deque<std::pair<int, Target>> m_pendingTargets;
    std::deque<Job> m_readyJobs;
    struct Lookup
    {
        int index;
        Target target;
        QTimer *deadline;
        QDateTime startedAt;
        QElapsedTimer elapsed;
    };
    std::shared_ptr<HostResolver> m_resolver;
    QHash<int, Lookup> m_lookups; // resolver lookup id -> what it is for
    QSet<Prober *> m_probers;
};

} // namespace certdash
