// The STARTTLS dialogue of one protocol fed a server's bytes in chunks the input chooses, so that
// replies split anywhere (and several replies in one read) are exercised. Each protocol has its
// own harness (fuzz_starttls_PROTOCOL.cpp) and corpus; this is what they share.
//
// Input: byte 0 = (r << 4) | n; then n chunk sizes (one byte each, 0 is an empty read), used in
// turn and over again; then the server's transcript. r > 0 repeats the transcript r * r * 256
// times, so that a server that talks past kMaxBufferedBytes is a small input. n = 0 feeds the
// whole transcript in one read.
//
// After each Send the dialogue is fed an empty read once: what the server sent after our command
// may already be buffered, exactly as when it arrives in the next read.
#pragma once

#include "FuzzInput.h"

#include "probing/StartTls.h"

#include <QByteArray>
#include <QList>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace certdash::fuzz {

[[noreturn]] inline void dialogueViolated(const char *what, const QString &detail = {}) {
    std::fprintf(stderr, "invariant violated: %s %s\n", what, qPrintable(detail.left(300)));
    std::abort();
}

inline int runStartTls(StartTls protocol, const uint8_t *data, size_t size) {
    using State = StartTlsDialogue::State;
    // What a failure message may quote of the server: an excerpt (200 bytes), in a sentence.
    constexpr qsizetype kMaxErrorLength = 400;
    // Every protocol sends at most its greeting answer and its STARTTLS command.
    constexpr int kMaxSends = 3;
    // Past this much, every dialogue must have finished or failed (kMaxBufferedBytes) unless it
    // consumes what it reads; the prober's own limit (TlsProber::kMaxReceivedBytes) stops that.
    constexpr qsizetype kMaxFedBytes = 1024 * 1024;
    constexpr int kMaxReads = 100000;

    FuzzInput in(data, size);
    const uint8_t head = in.byte();
    const QByteArray sizes = in.take(head & 0x0f);
    const int repeat = (head >> 4) * (head >> 4) * 256;
    const QByteArray transcript = in.rest();
    const qsizetype copies =
        std::min<qsizetype>(repeat, kMaxFedBytes / std::max<qsizetype>(transcript.size(), 1) + 1);
    const QByteArray server = repeat > 0 ? transcript.repeated(copies) : transcript;
    // Sizes that are all 0 would never get anywhere: one read then.
    const bool split = sizes.count('\0') < sizes.size();

    const auto dialogue = StartTlsDialogue::create(protocol, QStringLiteral("xmpp.example.test"));
    if (!dialogue)
        dialogueViolated("no dialogue for the protocol");
    (void)dialogue->opening();

    bool finished = false;
    int sends = 0;
    int feedsAfterEnd = 0;
    const auto feed = [&](const QByteArray &chunk) {
        if (dialogue->phase().isEmpty())
            dialogueViolated("empty phase");
        const StartTlsDialogue::Step step = dialogue->feed(chunk);
        if (dialogue->bufferedBytes() > StartTlsDialogue::kMaxBufferedBytes)
            dialogueViolated("buffered more than kMaxBufferedBytes",
                             QString::number(dialogue->bufferedBytes()));
        if (finished && step.state != State::Failed)
            dialogueViolated("a step other than Failed after the dialogue ended");
        switch (step.state) {
        case State::NeedMore:
            break;
        case State::Send:
            if (step.toSend.isEmpty() || ++sends > kMaxSends)
                dialogueViolated("empty or too many sends");
            break;
        case State::Ready:
            if (!step.toSend.isEmpty() || !step.error.isEmpty())
                dialogueViolated("Ready with something to send or an error");
            break;
        case State::Failed:
            if (step.error.isEmpty() || step.error.size() > kMaxErrorLength)
                dialogueViolated("error empty or not an excerpt", step.error);
            break;
        }
        if (step.state == State::Ready || step.state == State::Failed)
            finished = true;
        return step.state;
    };

    qsizetype pos = 0;
    for (int i = 0; pos < server.size() && pos < kMaxFedBytes && i < kMaxReads && feedsAfterEnd < 3;
         ++i) {
        const qsizetype length = !split ? server.size() : uchar(sizes.at(i % sizes.size()));
        if (finished)
            ++feedsAfterEnd;
        if (feed(server.mid(pos, length)) == State::Send)
            feed({});
        pos += length;
    }
    return 0;
}

} // namespace certdash::fuzz
