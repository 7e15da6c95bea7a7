#pragma once

#include "AlertEvent.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QString>

namespace certdash {

// The event log for a SIEM: one compact JSON object per line per crossing or renewal,
// appended to a file. Keys: type (certdash-warning|-critical|-expired|-rotation-overdue|
// -renewed), target, target_id, host, port, address, level, previous_level, status, days_left
// (null without a certificate), not_after (ISO 8601 UTC or null), fingerprint, limiting_role,
// limiting_subject, error (failures only), failing_since (failures only), time (ISO 8601 UTC).
// Trust events (certdash-trust-failed|-weak|-recovered) add trust_level, previous_trust_level
// (trusted|accepted|weak|failed), trust_reason ("hostname mismatch"), trust_finding (the
// verifier's sentence) and accepted_by (accept_self_signed|pin_issuer|pin_sha256, when accepted).
QByteArray eventLogLine(const AlertEvent &event); // with the trailing '\n'

class EventLog {
    Q_DECLARE_TR_FUNCTIONS(certdash::EventLog)

public:
    explicit EventLog(QString path = {});

    // <dataDirectory()>/events.jsonl
    static QString defaultPath();

    QString path() const { return m_path; }
    void setPath(const QString &path) { m_path = path; }

    // Appends the lines of every logged event (reminders are not crossings and are skipped) in
    // one write, then flushes; creates the file and its directory when missing. False with a
    // message naming the file when it cannot be written; an empty path logs nothing.
    bool append(const QList<AlertEvent> &events, QString *error = nullptr) const;

private:
    QString m_path;
};

} // namespace certdash
