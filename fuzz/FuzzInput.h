// Reads a fuzz input as a sequence of small fields: bytes, 16-bit numbers, length-prefixed
// blocks. Past the end every read gives zeros or nothing, so a harness never has to check sizes
// and every input, however short, is a valid one.
#pragma once

#include <QByteArray>

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace certdash::fuzz {

class FuzzInput {
public:
    FuzzInput(const uint8_t *data, size_t size)
        : m_data(data)
        , m_size(size) {}

    bool atEnd() const { return m_pos >= m_size; }
    size_t remaining() const { return m_size - m_pos; }

    uint8_t byte() { return atEnd() ? 0 : m_data[m_pos++]; }
    uint16_t u16() { // big-endian
        const uint16_t high = byte();
        return uint16_t(high << 8 | byte());
    }
    // Up to n bytes (fewer at the end), copied: the harness may keep them.
    QByteArray take(size_t n) {
        n = std::min(n, remaining());
        const QByteArray bytes(reinterpret_cast<const char *>(m_data + m_pos), qsizetype(n));
        m_pos += n;
        return bytes;
    }
    QByteArray rest() { return take(remaining()); }
    // A 16-bit big-endian length, then that many bytes.
    QByteArray block16() { return take(u16()); }
    // An 8-bit length, then that many bytes.
    QByteArray block8() { return take(byte()); }

private:
    const uint8_t *m_data;
    size_t m_size;
    size_t m_pos = 0;
};

} // namespace certdash::fuzz
