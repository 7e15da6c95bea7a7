#include "Schema.h"

namespace certdash::schema {

namespace {
// Times are INTEGER seconds since the epoch, UTC: compact, fast to compare, and converted to
// ISO 8601 only at the edges (reports, UI). Lists of certificate ids are space-separated.
const QStringList kVersion1{
    QStringLiteral(R"(CREATE TABLE targets (
        id INTEGER PRIMARY KEY,
        endpoint_key TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL DEFAULT '',
        host TEXT NOT NULL CHECK (host <> ''),
        port INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
        sni TEXT NOT NULL DEFAULT '',
        no_sni INTEGER NOT NULL DEFAULT 0,
        addresses TEXT NOT NULL DEFAULT '',
        starttls TEXT NOT NULL DEFAULT '',
        tags TEXT NOT NULL DEFAULT '',
        owner TEXT NOT NULL DEFAULT '',
        notes TEXT NOT NULL DEFAULT '',
        warning_days INTEGER,
        critical_days INTEGER,
        rotation_days INTEGER,
        enabled INTEGER NOT NULL DEFAULT 1,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL))"),
    QStringLiteral(R"(CREATE TABLE certificates (
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL UNIQUE,
        der BLOB NOT NULL,
        subject TEXT NOT NULL,
        issuer TEXT NOT NULL,
        not_before INTEGER NOT NULL,
        not_after INTEGER NOT NULL,
        info TEXT NOT NULL,
        text TEXT NOT NULL DEFAULT ''))"),
    QStringLiteral(R"(CREATE TABLE probes (
        id INTEGER PRIMARY KEY,
        target_id INTEGER NOT NULL REFERENCES targets(id) ON DELETE CASCADE,
        address TEXT NOT NULL DEFAULT '',
        sni TEXT NOT NULL DEFAULT '',
        probed_at INTEGER NOT NULL,
        status TEXT NOT NULL,
        days_left INTEGER,
        leaf_cert_id INTEGER REFERENCES certificates(id),
        leaf_sha256 TEXT,
        leaf_not_before INTEGER,
        leaf_not_after INTEGER,
        earliest_expiry INTEGER,
        limiting_subject TEXT,
        limiting_role TEXT,
        chain TEXT NOT NULL DEFAULT '',
        verified_path TEXT NOT NULL DEFAULT '',
        path_to_anchor INTEGER NOT NULL DEFAULT 0,
        trusted INTEGER,
        findings TEXT NOT NULL DEFAULT '',
        error TEXT NOT NULL DEFAULT '',
        tls_version TEXT NOT NULL DEFAULT '',
        cipher TEXT NOT NULL DEFAULT '',
        duration_ms INTEGER NOT NULL DEFAULT 0))"),
    // One target address's history, newest last; also finds its latest probe.
    QStringLiteral("CREATE INDEX probes_by_target ON probes(target_id, address, probed_at)"),
    // Retention scans by age.
    QStringLiteral("CREATE INDEX probes_by_time ON probes(probed_at)"),
    // The newest probe of every target address, kept on write so that the dashboard and
    // `certdash report` never group a million rows.
    QStringLiteral(R"(CREATE TABLE latest_probes (
        target_id INTEGER NOT NULL REFERENCES targets(id) ON DELETE CASCADE,
        address TEXT NOT NULL,
        probe_id INTEGER NOT NULL REFERENCES probes(id) ON DELETE CASCADE,
        PRIMARY KEY (target_id, address)) WITHOUT ROWID)"),
};

// Version 2: tags move from a comma-separated column into their own table, so that a tag can
// carry threshold defaults (tag_policies) and filtering by tag uses an index.
const QStringList kVersion2{
    QStringLiteral(R"(CREATE TABLE target_tags (
        target_id INTEGER NOT NULL REFERENCES targets(id) ON DELETE CASCADE,
        tag TEXT NOT NULL CHECK (tag <> ''),
        PRIMARY KEY (target_id, tag)) WITHOUT ROWID)"),
    QStringLiteral("CREATE INDEX target_tags_by_tag ON target_tags(tag)"),
    QStringLiteral(R"(WITH RECURSIVE split(target_id, tag, rest) AS (
            SELECT id, '', tags || ',' FROM targets WHERE tags <> ''
            UNION ALL
            SELECT target_id, trim(substr(rest, 1, instr(rest, ',') - 1)),
                   substr(rest, instr(rest, ',') + 1)
            FROM split WHERE rest <> '')
        INSERT OR IGNORE INTO target_tags(target_id, tag)
            SELECT target_id, tag FROM split WHERE tag <> '')"),
    QStringLiteral("ALTER TABLE targets DROP COLUMN tags"),
    QStringLiteral(R"(CREATE TABLE tag_policies (
        tag TEXT PRIMARY KEY CHECK (tag <> ''),
        warning_days INTEGER,
        critical_days INTEGER,
        rotation_days INTEGER) WITHOUT ROWID)"),
};
// Version 3: deleting a probe (retention, removing a target) must find the latest_probes row that
// points at it without scanning the table; and a small key/value table remembers housekeeping
// state such as when history was last pruned.
const QStringList kVersion3{
    QStringLiteral("CREATE INDEX latest_probes_by_probe ON latest_probes(probe_id)"),
    QStringLiteral(R"(CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL) WITHOUT ROWID)"),
};
// Version 4: the alert tracker's memory, so that a restart (or the next cron scan) never
// announces a crossing twice. One row per target address; snoozes are per target, so that an
// address that appears later (DNS) is covered by the snooze too.
const QStringList kVersion4{
    QStringLiteral(R"(CREATE TABLE alert_state (
        target_id INTEGER NOT NULL REFERENCES targets(id) ON DELETE CASCADE,
        address TEXT NOT NULL,
        level TEXT NOT NULL,
        notified_level TEXT NOT NULL,
        fingerprint TEXT NOT NULL DEFAULT '',
        failures INTEGER NOT NULL DEFAULT 0,
        failing_since INTEGER,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (target_id, address)) WITHOUT ROWID)"),
    QStringLiteral(R"(CREATE TABLE alert_snoozes (
        target_id INTEGER PRIMARY KEY REFERENCES targets(id) ON DELETE CASCADE,
        until INTEGER,
        until_renewed INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL))"),
};
// Version 5: a certificate's parsed fields get a narrow table of their own. Inline with the DER
// and text dump (about 7 KB together) every certificates row filled a page of its own, so reading
// the fields of 100,000 certificates for the dashboard or a report read 100,000 pages; packed
// alone, three to a page, about a third of that. DER and text stay where they were: only the
// details view and JSON reports read them.
const QStringList kVersion5{
    QStringLiteral(R"(CREATE TABLE certificate_info (
        certificate_id INTEGER PRIMARY KEY REFERENCES certificates(id) ON DELETE CASCADE,
        info TEXT NOT NULL))"),
    QStringLiteral("INSERT INTO certificate_info(certificate_id, info) "
                   "SELECT id, info FROM certificates ORDER BY id"),
    QStringLiteral("ALTER TABLE certificates DROP COLUMN info"),
};
// Version 6: trust is an alertable dimension. A probe keeps the kind of each finding (the
// findings are translated sentences; kinds are stable keys, space-separated, in findings order)
// and its trust level (trusted|accepted|weak|failed; NULL without a certificate) with the
// acceptance that made it "accepted"; targets and tags carry that acceptance; the alert state
// remembers the last trust level for edge triggering. Probes stored before get their kinds from
// the English wording the verifier wrote, and a level from those kinds (nothing was accepted).
const QStringList kVersion6{
    QStringLiteral("ALTER TABLE targets ADD COLUMN accept_self_signed INTEGER NOT NULL DEFAULT 0"),
    QStringLiteral("ALTER TABLE targets ADD COLUMN pin_issuer TEXT NOT NULL DEFAULT ''"),
    QStringLiteral("ALTER TABLE targets ADD COLUMN pin_sha256 TEXT NOT NULL DEFAULT ''"),
    QStringLiteral(
        "ALTER TABLE tag_policies ADD COLUMN accept_self_signed INTEGER NOT NULL DEFAULT 0"),
    QStringLiteral("ALTER TABLE tag_policies ADD COLUMN pin_issuer TEXT NOT NULL DEFAULT ''"),
    QStringLiteral("ALTER TABLE tag_policies ADD COLUMN pin_sha256 TEXT NOT NULL DEFAULT ''"),
    QStringLiteral("ALTER TABLE probes ADD COLUMN finding_kinds TEXT NOT NULL DEFAULT ''"),
    QStringLiteral("ALTER TABLE probes ADD COLUMN trust_level TEXT"),
    QStringLiteral("ALTER TABLE probes ADD COLUMN trust_accepted_by TEXT NOT NULL DEFAULT ''"),
    QStringLiteral("ALTER TABLE probes ADD COLUMN trust_accepted_tag TEXT NOT NULL DEFAULT ''"),
    QStringLiteral(R"(UPDATE probes SET finding_kinds = (
        SELECT group_concat(CASE
            WHEN j.value LIKE 'hostname mismatch%' THEN 'hostname_mismatch'
            WHEN j.value LIKE 'untrusted root%' THEN 'untrusted_root'
            WHEN j.value LIKE 'incomplete chain%' THEN 'incomplete_chain'
            WHEN j.value LIKE 'self-signed%' THEN 'self_signed'
            WHEN j.value LIKE 'expired%' THEN 'expired'
            WHEN j.value LIKE 'not yet valid%' THEN 'not_yet_valid'
            WHEN j.value LIKE 'unreadable certificate%' THEN 'unreadable_certificate'
            WHEN j.value LIKE 'unreadable notBefore%' THEN 'unreadable_date'
            WHEN j.value LIKE 'unreadable notAfter%' THEN 'unreadable_date'
            WHEN j.value LIKE 'no subjectAltName%' THEN 'no_subject_alt_name'
            WHEN j.value LIKE 'chain out of order%' THEN 'chain_out_of_order'
            WHEN j.value LIKE 'weak key%' THEN 'weak_key'
            WHEN j.value LIKE 'weak signature%' THEN 'weak_signature'
            WHEN j.value LIKE 'extra certificate%' THEN 'extra_certificate'
            ELSE 'other' END, ' ')
        FROM json_each(probes.findings) AS j)
        WHERE findings <> '' AND json_valid(findings))"),
    // As trustVerdict without acceptance: extra certificates (hygiene) alone stay trusted.
    QStringLiteral(R"(UPDATE probes SET trust_level = CASE
        WHEN trim(replace(finding_kinds, 'extra_certificate', '')) = '' THEN 'trusted'
        WHEN trim(replace(replace(replace(replace(finding_kinds, 'weak_key', ''),
                                          'weak_signature', ''), 'chain_out_of_order', ''),
                          'extra_certificate', '')) = '' THEN 'weak'
        ELSE 'failed' END
        WHERE trusted IS NOT NULL)"),
    QStringLiteral(
        "ALTER TABLE alert_state ADD COLUMN trust_level TEXT NOT NULL DEFAULT 'trusted'"),
};
// Version 7: how to reach an endpoint. Targets and tags name a client certificate (and its key)
// and a proxy; paths and URLs only, since secrets live in the OS keychain, never here.
const QStringList kVersion7{
    QStringLiteral("ALTER TABLE targets ADD COLUMN client_cert TEXT NOT NULL DEFAULT ''"),
    QStringLiteral("ALTER TABLE targets ADD COLUMN client_key TEXT NOT NULL DEFAULT ''"),
    QStringLiteral("ALTER TABLE targets ADD COLUMN proxy TEXT NOT NULL DEFAULT ''"),
    QStringLiteral("ALTER TABLE tag_policies ADD COLUMN client_cert TEXT NOT NULL DEFAULT ''"),
    QStringLiteral("ALTER TABLE tag_policies ADD COLUMN client_key TEXT NOT NULL DEFAULT ''"),
    QStringLiteral("ALTER TABLE tag_policies ADD COLUMN proxy TEXT NOT NULL DEFAULT ''"),
};
// Version 8: a record of each headless scan of the stored inventory (`certdash scan`, e.g. from
// certdash-scan.timer), so that the window can show when the last one ran and how it ended.
// started_by: 'timer' (systemd started it) or 'command'. The newest 100 are kept.
const QStringList kVersion8{
    QStringLiteral(R"(CREATE TABLE scan_runs (
        id INTEGER PRIMARY KEY,
        started_at INTEGER NOT NULL,
        finished_at INTEGER NOT NULL,
        started_by TEXT NOT NULL,
        targets INTEGER NOT NULL,
        endpoints INTEGER NOT NULL,
        attention INTEGER NOT NULL,
        exit_code INTEGER NOT NULL))"),
};
// Version 9: what changed (storage/ChangeFeed). Removing a target deletes its history, so the
// removal (and the addition it undoes) is recorded here, where it survives the delete; and the
// newest probe of a target before a point in time is one index seek, not a walk of its history.
const QStringList kVersion9{
    QStringLiteral(R"(CREATE TABLE target_events (
        id INTEGER PRIMARY KEY,
        target_id INTEGER NOT NULL,
        endpoint_key TEXT NOT NULL,
        label TEXT NOT NULL,
        event TEXT NOT NULL CHECK (event IN ('added', 'removed')),
        at INTEGER NOT NULL))"),
    QStringLiteral("CREATE INDEX target_events_by_time ON target_events(at)"),
    QStringLiteral("CREATE INDEX probes_by_target_time ON probes(target_id, probed_at)"),
};
// Version 10: online revocation checks switched per target and per tag (check_revocation):
// NULL inherits (the tags', else the global setting), 1 asks, 0 never asks (an offline network).
const QStringList kVersion10{
    QStringLiteral("ALTER TABLE targets ADD COLUMN check_revocation INTEGER"),
    QStringLiteral("ALTER TABLE tag_policies ADD COLUMN check_revocation INTEGER"),
};
} // namespace

QStringList migrationTo(int version)
{
    switch (version) {
    case 1:
        return kVersion1;
    case 2:
        return kVersion2;
    case 3:
        return kVersion3;
    case 4:
        return kVersion4;
    case 5:
        return kVersion5;
    case 6:
        return kVersion6;
    case 7:
        return kVersion7;
    case 8:
        return kVersion8;
    case 9:
        return kVersion9;
    case 10:
        return kVersion10;
    default:
        return {};
    }
}

int latestVersion()
{
    return 10;
}

} // namespace certdash::schema
