#include "ScanReport.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QDir>
#include <QFileDevice>
#include <QSaveFile>

#include <algorithm>

#include <sys/stat.h>

namespace certdash::cli {

namespace {
QString cannotWrite(const QString &path, const QString &reason)
{
    // The message writeFileAtomically() gives for the same failure.
    return QCoreApplication::translate("certdash::Reports", "cannot write %1: %2")
        .arg(QDir::toNativeSeparators(path), reason);
}
} // namespace

ReportOrder::ReportOrder(Emit sink)
    : m_emit(std::move(sink))
{
}

void ReportOrder::add(int index, const QString &address, int rowsOfTarget, ReportStream::Row row)
{
    Pending &target = m_pending[index];
    target.expected = std::max(1, rowsOfTarget);
    target.rows.emplace_back(address, std::move(row));
    ++m_waiting;
    while (!m_pending.empty()) {
        auto first = m_pending.begin();
        if (first->first != m_next || int(first->second.rows.size()) < first->second.expected)
            break;
        emitTarget(first->second);
        m_pending.erase(first);
        ++m_next;
    }
}

void ReportOrder::finish()
{
    for (auto &[index, target] : m_pending)
        emitTarget(target);
    if (!m_pending.empty())
        m_next = m_pending.rbegin()->first + 1;
    m_pending.clear();
}

void ReportOrder::emitTarget(Pending &target)
{
    // Stable: two rows of one address keep the order they came in, as in sortForReport.
    std::stable_sort(target.rows.begin(), target.rows.end(),
                     [](const auto &a, const auto &b) { return a.first < b.first; });
    for (const auto &[address, row] : target.rows)
        m_emit(row);
    m_waiting -= qsizetype(target.rows.size());
    target.rows.clear();
}

bool writesNeverBlock(QIODevice *device)
{
    if (qobject_cast<QBuffer *>(device))
        return true;
    const auto *file = qobject_cast<QFileDevice *>(device);
    struct stat info;
    return file && file->handle() >= 0 && ::fstat(file->handle(), &info) == 0
        && S_ISREG(info.st_mode);
}

ScanReport::ScanReport(const ScanOptions &options, const CommandStreams &streams)
    : m_streams(streams)
    , m_outputPath(options.outputPath)
    , m_order([this](const ReportStream::Row &row) { m_stream->append(row); })
{
    QIODevice *device = streams.out;
    auto delivery = ReportStream::Delivery::Direct;
    if (!m_outputPath.isEmpty()) {
        m_file = std::make_unique<QSaveFile>(m_outputPath);
        // Never fall back to writing the target in place: a half-written file is what this avoids.
        m_file->setDirectWriteFallback(false);
        if (!m_file->open(QIODevice::WriteOnly)) {
            // Said when the scan ends, where a failed write was always reported.
            m_error = cannotWrite(m_outputPath, m_file->errorString());
            return;
        }
        device = m_file.get();
    } else if (writesNeverBlock(device)) {
        m_flushRows = qobject_cast<QFileDevice *>(device) != nullptr;
    } else {
        delivery = ReportStream::Delivery::AtFinish;
    }
    m_stream = std::make_unique<ReportStream>(options.format, device, delivery);
}

ScanReport::~ScanReport() = default;

void ScanReport::add(int index, const ProbeResult &result)
{
    if (!m_stream)
        return;
    const qsizetype before = m_stream->rowCount();
    m_order.add(index, result.address, int(result.roundAddresses.size()),
                m_stream->render(result));
    if (m_flushRows && m_stream->rowCount() != before)
        static_cast<QFileDevice *>(m_streams.out)->flush();
}

bool ScanReport::finish(const QDateTime &generatedAt)
{
    const auto fail = [&](const QString &error) {
        say(m_streams.err, QStringLiteral("certdash scan: %1\n").arg(error));
        return false;
    };
    if (!m_stream)
        return fail(m_error);
    m_order.finish();
    QString error;
    if (!m_stream->finish(generatedAt, &error)) {
        if (m_file)
            m_file->cancelWriting();
        return fail(error);
    }
    if (m_file && !m_file->commit())
        return fail(cannotWrite(m_outputPath, m_file->errorString()));
    if (m_flushRows)
        static_cast<QFileDevice *>(m_streams.out)->flush();
    return true;
}

} // namespace certdash::cli
