#pragma once

#include "domain/Status.h"

#include <QIcon>

namespace certdash {

// One icon per status, told apart by SHAPE (check, triangle, octagon, cross, clock, arrows,
// broken link, hourglass, padlock), never by colour alone. Drawn once, cached.
QIcon statusIcon(Status status);
QIcon notProbedIcon();

} // namespace certdash
