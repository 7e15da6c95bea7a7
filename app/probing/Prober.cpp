#include "Prober.h"

#include "QtTlsProber.h"
#include "TlsProber.h"

#include <QAbstractSocket>

#include <atomic>

namespace certdash {

namespace {
std::atomic<int> g_closingSockets{0}; // probes may run in a worker thread
}

Prober *Prober::create(const Target &target, const QString &address, const ProbeOptions &options,
                       QObject *parent) {
    switch (options.engine) {
    case ProbeEngine::Qt:
        return new QtTlsProber(target, address, options, parent);
    case ProbeEngine::OpenSsl:
        break;
    }
    return new TlsProber(target, address, options, parent);
}

int Prober::closingSockets() {
    return g_closingSockets;
}

void Prober::trackClosing(QAbstractSocket *socket) {
    ++g_closingSockets;
    QObject::connect(socket, &QObject::destroyed, [] { --g_closingSockets; });
}

} // namespace certdash
