#pragma once

namespace certdash {

// Makes the calling thread yield to the UI thread: work that can wait some milliseconds (reading
// the store for the table, reading and converting a fleet's answer, writing the fleet rows file,
// freeing replaced rows). On a laptop's two cores, such threads at the UI thread's priority took
// turns with it, and the window held still for 50-90 ms while they ran (bench_fleet_rows). On
// Linux the thread's nice value is raised by 5: against one busy thread at nice 0 it keeps about
// a quarter of a core, so it still progresses on a busy machine (+10 kept a tenth: with four
// busy processes a 10,000-row fleet read took 6-12 s instead of 2-3 s); elsewhere
// QThread::LowPriority.
void lowerThisThreadsPriority();

} // namespace certdash
