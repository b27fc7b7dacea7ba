package l4smp.kernel.observe;

import java.util.Set;
import l4smp.kernel.thread.ThreadId;

/**
 * One migration past its caller's locks, as its three parts share it (§8.7.2; MigrationBarriers'
 * {@code request(s)}).
 *
 * @param id        the request record: its initiating CPU
 * @param scheduler the thread whose thread_schedule it is
 * @param thread    t1, the thread that moves
 * @param initiator A's CPU
 * @param source    B's CPU, the one t1 leaves
 * @param target    C's CPU, the one t1 goes to
 * @param bPhase    part B: none (it runs in A's call and has not started), triggered, wait2, done, refused
 * @param cPhase    part C: none, triggered, wait2, wait3, done
 * @param arrived   arrivals at the barriers: A1, B1 at (=1); A2, B2, C2 at (=2)
 * @param cpuSet    (~3): B has set t1's new processor number
 * @param inFlight  t1 is between B's deletion and the moment C has inserted it and B set its CPU
 */
public record MigrationView(int id, ThreadId scheduler, ThreadId thread, int initiator, int source, int target, String bPhase,
                            String cPhase, Set<String> arrived, boolean cpuSet, boolean inFlight) {
}
