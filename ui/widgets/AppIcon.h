#pragma once

#include "domain/Status.h"

#include <QIcon>

#include <optional>

namespace certdash {

// The application's icon (a shield carrying a clock; resources/icons/, the same image the
// desktop entry names as io.github.certdash.CertDash), from the Qt resources in every size.
QIcon appIcon();

// The tray's icon: the application icon with the worst status's badge (statusIcon, or
// notProbedIcon without a result) in its lower right corner. Drawn once per status, cached.
QIcon trayIcon(std::optional<Status> worst);

} // namespace certdash
