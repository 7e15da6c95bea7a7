#pragma once

namespace certdash {

// Makes the calling thread yield to the UI thread: work that can wait some milliseconds (reading
// the store for the table, reading and converting a fleet's answer, writing the fleet rows file,
// freeing replaced rows). On a laptop's two cores, such threads at the UI thread's priority took
// turns with it, and the window held still for 50-90 ms while they ran (bench_fleet_rows). On
// Linux the thread's nice value is raised by 10 (it keeps about a tenth of a contended core,
// so it still progresses on a busy machine); elsewhere QThread::LowPriority.
void lowerThisThreadsPriority();

} // namespace certdash
