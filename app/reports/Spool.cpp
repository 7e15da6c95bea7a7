#include "Spool.h"

#include <QCoreApplication>
#include <QDir>
#include <QTemporaryFile>

namespace certdash {

Spool::Spool(qint64 memoryLimit)
    : m_memoryLimit(memoryLimit) {}

Spool::~Spool() = default;

void Spool::append(const QByteArray &bytes) {
    if (bytes.isEmpty())
        return;
    m_size += bytes.size();
    if (!m_file && !m_fileFailed && m_memory.size() + bytes.size() > m_memoryLimit) {
        auto file = std::make_unique<QTemporaryFile>(QDir::tempPath() +
                                                     QStringLiteral("/certdash-report.XXXXXX"));
        if (file->open() && file->write(m_memory) == m_memory.size()) {
            m_file = std::move(file);
            m_memory = QByteArray();
        } else {
            m_fileFailed = true;
        }
    }
    if (m_file)
        m_file->write(bytes); // a failed write shows in writeTo(), which checks the size
    else
        m_memory.append(bytes);
}

bool Spool::writeTo(QIODevice *device, QString *error) {
    if (!m_file) {
        device->write(m_memory);
        return true;
    }
    const auto fail = [&] {
        if (error) {
            *error = QCoreApplication::translate("certdash::Reports",
                                                 "the report's temporary file %1: %2")
                         .arg(QDir::toNativeSeparators(m_file->fileName()), m_file->errorString());
        }
        return false;
    };
    if (!m_file->flush() || m_file->size() != m_size || !m_file->seek(0))
        return fail();
    QByteArray chunk;
    qint64 left = m_size;
    while (left > 0) {
        chunk = m_file->read(std::min<qint64>(left, 1 << 16));
        if (chunk.isEmpty())
            return fail();
        device->write(chunk);
        left -= chunk.size();
    }
    // Appending after writeTo() goes on at the end.
    return m_file->seek(m_size) || fail();
}

} // namespace certdash
