package l4smp.kernel.observe;

import l4smp.kernel.thread.ThreadId;

/**
 * A scheduling server's thread_schedule call that moves a thread, while it is in progress (part A of
 * §8.7.2; MigrationBarriers' {@code aPc[s]}, {@code tgt[s]}, {@code dst[s]}).
 *
 * @param thread    the thread to move
 * @param targetCpu the CPU to move it to
 * @param phase     spin (for the locks), wait1, wait2, return
 * @param request   the request record it shares with B and C (its initiating CPU), -1 while it spins
 */
public record MigrationCallView(ThreadId thread, int targetCpu, String phase, int request) {
}
