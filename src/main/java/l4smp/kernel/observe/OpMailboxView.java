package l4smp.kernel.observe;

/**
 * Read-only view of an operation mailbox (§8.3.4, §8.4.3): where its flag is set and which CPUs'
 * operation proxies have it in their lists. CPU sets are bit masks, one bit per CPU.
 *
 * @param id      its number: its flag bit on the operation flag words of a target CPU
 * @param home    the CPU whose pool it belongs to (its caller's)
 * @param phase   free, request (parts to run) or done (every part ran; back at home)
 * @param pending the CPUs whose part is still to run
 * @param flagged the CPUs whose operation flag words have its bit set (not yet taken by check_n_ack)
 * @param queued  the CPUs whose operation proxy has it in its list
 */
public record OpMailboxView(int id, int home, String phase, int pending, int flagged, int queued) {
}
