#pragma once

#include "domain/Clock.h"
#include "domain/Target.h"
#include "storage/TagPolicy.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

#include <optional>

namespace certdash {

class Database;

// What an import did, for the user's summary line.
struct ImportSummary {
    int added = 0;
    int updated = 0;   // already stored; the input changed at least one field or added a tag
    int unchanged = 0; // already stored exactly as given
    int duplicatesInInput = 0; // later entries for an endpoint listed earlier in the same input
};


// The inventory in the database: targets with their tags, and per-tag threshold defaults.
// Times are the injected clock's, in whole seconds UTC. Tags come back sorted and without
// duplicates; pinned addresses in the order given.
class TargetRepository {
    Q_DECLARE_TR_FUNCTIONS(certdash::TargetRepository)

public:
    TargetRepository(Database &database, const Clock &clock);

    // Every target ordered by id; empty with *error set when the database cannot be read.
    QList<Target> all(QString *error = nullptr) const;
    std::optional<Target> byId(qint64 id, QString *error = nullptr) const;

    // Stores a new target and fills in its id, createdAt and updatedAt (and normalises its
    // tags). Refuses an endpoint that is already stored, naming the stored target.
    bool add(Target &target, QString *error = nullptr);
    // Replaces every field of the stored target with target.id (createdAt is kept, updatedAt
    // set to now). Refuses to turn it into the endpoint of another stored target.
    bool update(const Target &target, QString *error = nullptr);
    // Deletes the target and, through ON DELETE CASCADE, its tags and probe history.
    bool remove(qint64 id, QString *error = nullptr);
    bool setEnabled(qint64 id, bool enabled, QString *error = nullptr);

    // Imports a list in one transaction: all of it or nothing. A target whose endpoint is
    // already stored is merged into the stored one: name, owner and notes when given
    // (non-empty), thresholds when set, a trust acceptance when stated (as a whole), tags added to
    // the stored ones; the stored target keeps
    // its id, enabled flag and created_at. Within the input the first entry for an endpoint is
    // kept and later ones are counted as duplicates (as the inventory parser does).
    std::optional<ImportSummary> importTargets(const QList<Target> &targets,
                                               QString *error = nullptr);

    // Threshold defaults shared by every target carrying a tag; see effectivePolicy().
    bool setTagPolicy(const TagPolicy &policy, QString *error = nullptr); // insert or replace
    bool removeTagPolicy(const QString &tag, QString *error = nullptr);
    QList<TagPolicy> tagPolicies(QString *error = nullptr) const; // ordered by tag

private:
    // False with a message when another stored target (not excludeId) has this key, or when
    // the lookup itself fails.
    bool checkUnique(const Target &target, const QString &key, qint64 excludeId,
                     QString *error) const;

    Database &m_database;
    const Clock &m_clock;
};

} // namespace certdash
