#pragma once

#include "storage/ChangeFeed.h"

#include <QDateTime>
#include <QWidget>

class QComboBox;
class QDateTimeEdit;
class QLabel;
class QTableView;

namespace certdash {

class ChangesModel;

// The window's Changes tab: what changed in the store since a chosen point (the last 24 hours,
// 7 days, 30 days, or a date), newest first. It only shows what it is given: the window reads the
// changes in the store reader's thread whenever sinceChanged() or a scan or another process's
// commit asks for it, and passes them to setChanges(). Double-click goes to the target.
class ChangesView : public QWidget {
    Q_OBJECT
public:
    enum class Range { Day, Week, Month, Date };

    explicit ChangesView(QWidget *parent = nullptr);

    void setRange(Range range);
    Range range() const;
    // For Range::Date: the point chosen (local time in the editor).
    void setSinceDate(const QDateTime &since);
    // The start of the window for the chosen range, counted back from now.
    QDateTime since(const QDateTime &now) const;

    // What was read for [since, now); error instead when it could not be read.
    void setChanges(const QList<Change> &changes, const QDateTime &since, const QString &error);
    // "Reading..." until the next setChanges().
    void setReading();

    ChangesModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }

signals:
    // The user chose another range or date: read again.
    void sinceChanged();
    // A change was opened: its target (0 when the target is gone) and address.
    void targetActivated(qint64 targetId, const QString &address);

private:
    QComboBox *m_range;
    QDateTimeEdit *m_date;
    QLabel *m_summary;
    QTableView *m_table;
    ChangesModel *m_model;
};

} // namespace certdash
