#pragma once

#include <QProcess>

#include <csignal>
#include <sys/prctl.h>

namespace certdash::test {

// A server a test starts (nginx, s_server, tinyproxy, danted, a keyring, a D-Bus recorder) must
// not outlive a test that crashes, fails a qFatal or is killed by ctest's timeout: the kernel
// sends it SIGTERM when the test process ends, however it ends. Call before start().
inline void endWithTest(QProcess &server)
{
    server.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
}

} // namespace certdash::test
