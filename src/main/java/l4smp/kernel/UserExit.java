package l4smp.kernel;

import l4smp.hw.mem.PageFault;

/**
 * Why a stretch of user code ended.
 *
 * @param kind   what happened
 * @param vector for {@link Kind#TRAP}, the {@code int} vector (0x30..0x36 are system calls)
 * @param fault  for {@link Kind#PAGE_FAULT}, the MMU's fault
 * @param reason for {@link Kind#INVALID}, what the program did wrong
 */
public record UserExit(Kind kind, int vector, PageFault fault, String reason) {
    public enum Kind {
        /** It used its budget; it goes on at the next step unless an interrupt comes first. */
        BUDGET,
        /** It executed {@code int vector}. */
        TRAP,
        /** An access faulted. */
        PAGE_FAULT,
        /** An FPU instruction found CR0.TS set (device not available). */
        FPU_UNAVAILABLE,
        /** An instruction the machine refuses (general protection, invalid opcode): the kernel stops the thread. */
        INVALID
    }

    public static final UserExit BUDGET = new UserExit(Kind.BUDGET, 0, null, null);
    public static final UserExit FPU_UNAVAILABLE = new UserExit(Kind.FPU_UNAVAILABLE, 0, null, null);

    public static UserExit trap(int vector) {
        return new UserExit(Kind.TRAP, vector, null, null);
    }

    public static UserExit pageFault(PageFault fault) {
        return new UserExit(Kind.PAGE_FAULT, 0, fault, null);
    }

    public static UserExit invalid(String reason) {
        return new UserExit(Kind.INVALID, 0, null, reason);
    }
}
