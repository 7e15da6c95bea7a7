#pragma once

#include <QString>

#include <optional>

namespace certdash {

// Which TLS client does a probe's handshake. Both produce the same ProbeResult (the Qt engine is
// the independent cross-check of the fast one; tests/net/tst_enginecrosscheck compares them).
enum class ProbeEngine {
    OpenSsl, // OpenSSL over QTcpSocket, one shared SSL_CTX (TlsProber): the default, the fastest
    Qt,      // QSslSocket (QtTlsProber)
};

// "openssl", "qt": the command line's --engine and the settings key probing/engine.
inline QString probeEngineKey(ProbeEngine engine) {
    return engine == ProbeEngine::Qt ? QStringLiteral("qt") : QStringLiteral("openssl");
}

inline std::optional<ProbeEngine> parseProbeEngine(const QString &text) {
    const QString key = text.trimmed().toLower();
    if (key == QLatin1String("openssl"))
        return ProbeEngine::OpenSsl;
    if (key == QLatin1String("qt"))
        return ProbeEngine::Qt;
    return std::nullopt;
}

} // namespace certdash
