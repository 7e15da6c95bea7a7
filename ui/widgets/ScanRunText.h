#pragma once

#include "storage/ScanRunRepository.h"

#include <QString>

namespace certdash {

// The status bar's words for the newest headless scan of the store (certdash-scan.timer or a
// `certdash scan` by hand): "Last scheduled scan: <local time>, 12 targets, 2 need attention".
QString scanRunText(const ScanRun &run);
// Its tooltip: when it started and ended, how many addresses, and what the exit code means.
QString scanRunToolTip(const ScanRun &run);

} // namespace certdash
