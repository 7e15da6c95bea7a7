#include "ProbeScheduler.h"

#include "HostResolver.h"
#include "Prober.h"

#include <QCoreApplication>
#include <QTimer>

namespace certdash {

ProbeScheduler::ProbeScheduler(const ProbeOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_resolver(options.resolver ? options.resolver : std::make_shared<SystemResolver>())
{
}

ProbeScheduler::~ProbeScheduler()
{
    abortAll();
}

void ProbeScheduler::setConcurrency(int concurrency)
{
    m_concurrency = std::max(1, concurrency);
    pump();
}

int ProbeScheduler::expected() const
{
    // A lookup in flight counts as one result until it tells how many addresses there are.
    return m_completed + m_inFlight + int(m_readyJobs.size()) + int(m_pendingTargets.size());
}

void ProbeScheduler::enqueue(const QList<Target> &targets)
{
    for (const Target &t : targets)
        m_pendingTargets.emplace_back(m_nextIndex++, t);
    m_running = m_running || !targets.isEmpty();
    if (!m_pumpQueued) {
        m_pumpQueued = true;
        QTimer::singleShot(0, this, [this] {
            m_pumpQueued = false;
            pump();
            checkFinished();
        });
    }
}

void ProbeScheduler::pump()
{
    while (m_inFlight < m_concurrency) {
        if (!m_readyJobs.empty()) {
            const Job job = m_readyJobs.front();
            m_readyJobs.pop_front();
            startProbe(job);
            continue;
        }
        if (m_pendingTargets.empty())
            break;
        auto [index, target] = m_pendingTargets.front();
        m_pendingTargets.pop_front();
        if (!target.addresses.isEmpty()) {
            for (const QString &address : std::as_const(target.addresses))
                m_readyJobs.push_back({index, target, address, 0, target.addresses});
        } else if (const auto address = canonicalAddress(target.host)) {
            m_readyJobs.push_back({index, target, *address, 0, {*address}});
        } else if (m_options.proxy.resolvedByProxy(target)) {
            // The proxy resolves the name (its resolver may know internal names ours does not):
            // one probe, by name, whose address says so.
            const QString viaProxy = QString::fromLatin1(kViaProxyAddress);
            m_readyJobs.push_back({index, target, viaProxy, 0, {viaProxy}});
        } else {
            startLookup(index, target);
        }
    }
}

void ProbeScheduler::startLookup(int index, const Target &target)
{
    m_peakInFlight = std::max(m_peakInFlight, ++m_inFlight);
    const QString host = target.asciiHost();
    if (host.isEmpty()) {
        --m_inFlight;
        ProbeResult r;
        r.target = target;
        r.sni = target.effectiveSni();
        r.status = Status::Unreachable;
        r.error = tr("invalid host name");
        r.probedAt = m_options.clock->now();
        r.roundAddresses = {QString()};
        deliver(index, r);
        return;
    }
    auto *deadline = new QTimer(this);
    deadline->setSingleShot(true);
    deadline->setTimerType(Qt::PreciseTimer); // a coarse timer may fire 5 % early
    QElapsedTimer elapsed;
    elapsed.start();
    // The id is known only once lookup() returns; the answer always comes later, queued.
    auto lookupId = std::make_shared<int>(0);
    *lookupId = m_resolver->lookup(host, this, [this, lookupId](const Resolution &answer) {
        onLookedUp(*lookupId, answer);
    });
    const int id = *lookupId;
    m_lookups.insert(id, {index, target, deadline, m_options.clock->now(), elapsed});
    connect(deadline, &QTimer::timeout, this, [this, id] { onLookupTimeout(id); });
    deadline->start(m_options.timeoutMs);
}

void ProbeScheduler::onLookedUp(int lookupId, const Resolution &answer)
{
    const auto it = m_lookups.find(lookupId);
    if (it == m_lookups.end())
        return; // timed out or cancelled
    const Lookup lookup = it.value();
    m_lookups.erase(it);
    lookup.deadline->deleteLater();
    --m_inFlight;

    const QStringList &addresses = answer.addresses;
    if (addresses.isEmpty()) {
        ProbeResult r;
        r.target = lookup.target;
        r.sni = lookup.target.effectiveSni();
        r.status = Status::Unreachable;
        r.error = answer.notFound || answer.error.isEmpty()
            ? tr("DNS: %1 not found").arg(lookup.target.asciiHost())
            : tr("DNS: %1").arg(answer.error);
        r.probedAt = lookup.startedAt;
        r.roundAddresses = {QString()};
        deliver(lookup.index, r);
    } else {
        // Addresses of one name go to the front: a target's rows complete together. Each probe
        // has what the resolution left of the timeout.
        const qint64 resolvedInMs = lookup.elapsed.elapsed();
        for (auto a = addresses.crbegin(); a != addresses.crend(); ++a)
            m_readyJobs.push_front({lookup.index, lookup.target, *a, resolvedInMs, addresses});
    }
    pump();
    checkFinished();
}

void ProbeScheduler::onLookupTimeout(int lookupId)
{
    const auto it = m_lookups.find(lookupId);
    if (it == m_lookups.end())
        return;
    const Lookup lookup = it.value();
    m_lookups.erase(it);
    m_resolver->abort(lookupId);
    lookup.deadline->deleteLater();
    --m_inFlight;
    ProbeResult r;
    r.target = lookup.target;
    r.sni = lookup.target.effectiveSni();
    // A name that cannot be resolved is unreachable, whether the resolver said no or nothing.
    r.status = Status::Unreachable;
    r.error = tr("DNS: no answer for %1 within %2 s")
                  .arg(lookup.target.asciiHost(),
                       QString::number(m_options.timeoutMs / 1000.0, 'g', 3));
    r.probedAt = lookup.startedAt;
    r.roundAddresses = {QString()};
    deliver(lookup.index, r);
    pump();
    checkFinished();
}

void ProbeScheduler::startProbe(const Job &job)
{
    m_peakInFlight = std::max(m_peakInFlight, ++m_inFlight);
    auto *prober = Prober::create(job.target, job.address, m_options, this);
    m_probers.insert(prober);
    const int index = job.index;
    // Each result says which addresses its round probed: a view drops rows of addresses the
    // name no longer resolves to.
    connect(prober, &Prober::finished, this,
            [this, prober, index, round = job.round](const ProbeResult &result) {
                m_probers.remove(prober);
                prober->deleteLater();
                --m_inFlight;
                ProbeResult withRound = result;
                withRound.roundAddresses = round;
                deliver(index, withRound);
                pump();
                checkFinished();
            });
    prober->start(job.resolvedInMs);
}

void ProbeScheduler::deliver(int index, const ProbeResult &result)
{
    ++m_completed;
    emit resultReady(index, result);
    emit progress(m_completed, expected());
}

void ProbeScheduler::checkFinished()
{
    if (m_running && m_inFlight == 0 && m_readyJobs.empty() && m_pendingTargets.empty()
        && !m_pumpQueued) {
        m_running = false;
        emit finished();
    }
}

void ProbeScheduler::cancel()
{
    const bool wasRunning = m_running;
    abortAll();
    if (wasRunning)
        emit finished();
}

void ProbeScheduler::abortAll()
{
    m_pendingTargets.clear();
    m_readyJobs.clear();
    for (auto it = m_lookups.cbegin(); it != m_lookups.cend(); ++it) {
        m_resolver->abort(it.key());
        it.value().deadline->deleteLater();
    }
    m_lookups.clear();
    for (Prober *prober : std::as_const(m_probers)) {
        prober->cancel();
        prober->deleteLater();
    }
    m_probers.clear();
    m_inFlight = 0;
    m_running = false;
}

} // namespace certdash
