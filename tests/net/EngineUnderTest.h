#pragma once

#include "probing/ProbeEngine.h"

#include <QCoreApplication>
#include <QTest>

#include <cstdio>

namespace certdash::test {

// The probe engine a network test runs through. CERTDASH_TEST_MAIN_EACH_ENGINE runs the whole
// test class once per engine (OpenSSL, then Qt), so every TLS case is checked through both;
// ProbeHarness and the tests' `certdash scan --engine` arguments read it from here.
inline ProbeEngine &engineUnderTest() {
    static ProbeEngine engine = ProbeEngine::OpenSsl;
    return engine;
}

inline bool testingQtEngine() {
    return engineUnderTest() == ProbeEngine::Qt;
}

// Runs the test object once per engine; fails if either run fails. Selecting one engine:
// CERTDASH_TEST_ENGINE=qt (or openssl) in the environment.
inline int execForEachEngine(QObject *test, int argc, char **argv) {
    const QByteArray only = qgetenv("CERTDASH_TEST_ENGINE");
    int failures = 0;
    for (const ProbeEngine engine : {ProbeEngine::OpenSsl, ProbeEngine::Qt}) {
        if (!only.isEmpty() && probeEngineKey(engine) != QString::fromLatin1(only))
            continue;
        engineUnderTest() = engine;
        std::printf("********* Probe engine: %s *********\n", qPrintable(probeEngineKey(engine)));
        std::fflush(stdout);
        failures += QTest::qExec(test, argc, argv);
    }
    return failures;
}

} // namespace certdash::test

#define CERTDASH_TEST_MAIN_EACH_ENGINE(TestObject)                                                 \
    int main(int argc, char *argv[]) {                                                             \
        QCoreApplication app(argc, argv);                                                          \
        app.setAttribute(Qt::AA_Use96Dpi, true);                                                   \
        TestObject tc;                                                                             \
        QTEST_SET_MAIN_SOURCE_PATH                                                                 \
        return certdash::test::execForEachEngine(&tc, argc, argv);                                 \
    }
