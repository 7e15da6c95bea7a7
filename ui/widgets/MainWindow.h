#pragma once

#include <QMainWindow>

namespace certdash {

class Database;

// The dashboard window. In this first cut it only frames the application; the inventory table,
// details and charts arrive with their issues.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(Database &database, QWidget *parent = nullptr);
};

} // namespace certdash
