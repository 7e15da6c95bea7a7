#pragma once

#include <QByteArray>
#include <QString>

#include <memory>

class QIODevice;
class QTemporaryFile;

namespace certdash {

// Bytes a report must keep until its end (JSON's rows wait for the header, Prometheus's samples
// for their metric family), held in memory up to memoryLimit and past it in a temporary file in
// QDir::tempPath(), so that a large scan's report never sits in memory. When no temporary file
// can be made the bytes stay in memory, as a report did before there were spools.
class Spool {
public:
    explicit Spool(qint64 memoryLimit);
    ~Spool();
    Spool(const Spool &) = delete;
    Spool &operator=(const Spool &) = delete;

    void append(const QByteArray &bytes);
    qint64 size() const { return m_size; }
    bool isEmpty() const { return m_size == 0; }
    bool onDisk() const { return m_file != nullptr; }

    // Writes every byte appended so far to device, in order. False when the temporary file could
    // not be written or read back; *error then names it and says why.
    bool writeTo(QIODevice *device, QString *error);

private:
    qint64 m_memoryLimit;
    qint64 m_size = 0;
    QByteArray m_memory;
    std::unique_ptr<QTemporaryFile> m_file;
    bool m_fileFailed = false; // no temporary file could be made: memory from now on
};

} // namespace certdash
