#include "ThreadPriority.h"

#include <QLoggingCategory>
#include <QThread>

#include <algorithm>

#ifdef Q_OS_LINUX
#include <cerrno>
#include <cstring>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace certdash {

namespace {
Q_LOGGING_CATEGORY(lcThreads, "certdash.threads")
} // namespace

void lowerThisThreadsPriority() {
#ifdef Q_OS_LINUX
    // Linux schedules threads one by one: PRIO_PROCESS with a thread id sets that thread's nice
    // value only. (QThread::setPriority cannot: SCHED_OTHER has a single static priority.)
    const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
    errno = 0;
    const int nice = ::getpriority(PRIO_PROCESS, tid);
    if (errno == 0 && ::setpriority(PRIO_PROCESS, tid, std::min(nice + 5, 19)) != 0)
        qCDebug(lcThreads) << "thread priority unchanged:" << std::strerror(errno);
#else
    QThread::currentThread()->setPriority(QThread::LowPriority);
#endif
}

} // namespace certdash
