#include "ChangesView.h"

#include "models/ChangesModel.h"

#include <QComboBox>
#include <QDateTimeEdit>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTableView>
#include <QVBoxLayout>

namespace certdash {

ChangesView::ChangesView(QWidget *parent)
    : QWidget(parent)
    , m_range(new QComboBox(this))
    , m_date(new QDateTimeEdit(this))
    , m_summary(new QLabel(this))
    , m_table(new QTableView(this))
    , m_model(new ChangesModel(this)) {
    m_range->setObjectName(QStringLiteral("changesRange"));
    m_range->addItem(tr("Last 24 hours"), int(Range::Day));
    m_range->addItem(tr("Last 7 days"), int(Range::Week));
    m_range->addItem(tr("Last 30 days"), int(Range::Month));
    m_range->addItem(tr("Since a date"), int(Range::Date));
    m_range->setCurrentIndex(1);
    m_date->setObjectName(QStringLiteral("changesSince"));
    m_date->setCalendarPopup(true);
    m_date->setDisplayFormat(QLocale().dateTimeFormat(QLocale::ShortFormat));
    m_date->setDateTime(QDateTime::currentDateTime().addDays(-7));
    m_date->setVisible(false);
    m_summary->setObjectName(QStringLiteral("changesSummary"));
    auto *label = new QLabel(tr("S&ince:"), this);
    label->setBuddy(m_range);

    m_table->setObjectName(QStringLiteral("changesTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);

    auto *bar = new QHBoxLayout;
    bar->addWidget(label);
    bar->addWidget(m_range);
    bar->addWidget(m_date);
    bar->addWidget(m_summary, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_table);

    connect(m_range, &QComboBox::currentIndexChanged, this, [this] {
        m_date->setVisible(range() == Range::Date);
        emit sinceChanged();
    });
    connect(m_date, &QDateTimeEdit::editingFinished, this, [this] {
        if (range() == Range::Date)
            emit sinceChanged();
    });
    connect(m_table, &QTableView::activated, this, [this](const QModelIndex &index) {
        const Change &c = m_model->changeAt(index.row());
        emit targetActivated(c.targetId, c.address);
    });
}

void ChangesView::setRange(Range range) {
    m_range->setCurrentIndex(m_range->findData(int(range)));
}

ChangesView::Range ChangesView::range() const {
    return Range(m_range->currentData().toInt());
}

void ChangesView::setSinceDate(const QDateTime &since) {
    m_date->setDateTime(since.toLocalTime());
    if (range() == Range::Date)
        emit sinceChanged();
}

QDateTime ChangesView::since(const QDateTime &now) const {
    switch (range()) {
    case Range::Day:
        return now.addDays(-1);
    case Range::Week:
        return now.addDays(-7);
    case Range::Month:
        return now.addDays(-30);
    case Range::Date:
        break;
    }
    return m_date->dateTime().toUTC();
}

void ChangesView::setReading() {
    m_summary->setText(tr("Reading\u2026"));
}

void ChangesView::setChanges(const QList<Change> &changes, const QDateTime &since,
                             const QString &error) {
    if (!error.isEmpty()) {
        m_summary->setText(tr("Could not read the changes: %1").arg(error));
        return;
    }
    const bool first = m_model->rowCount() == 0;
    m_model->setChanges(changes);
    m_summary->setText(tr("%n change(s) since %1", nullptr, int(changes.size()))
                           .arg(QLocale().toString(since.toLocalTime(), QLocale::ShortFormat)));
    if (first && !changes.isEmpty()) {
        m_table->resizeColumnsToContents();
        // Fitted to the rows measured; a later date may be wider ("30 Nov" after "4 Dec").
        const QString widest = QLocale().toString(QDateTime(QDate(2026, 12, 30), QTime(23, 59, 59)),
                                                  QLocale::ShortFormat);
        const int width = m_table->fontMetrics().horizontalAdvance(widest) + 16;
        if (m_table->columnWidth(ChangesModel::FirstSeenColumn) < width)
            m_table->setColumnWidth(ChangesModel::FirstSeenColumn, width);
    }
}

} // namespace certdash
