package l4smp.hw.sched;

/**
 * What a {@link Scheduler} may choose from before one step: the CPUs that can run (neither halted
 * without a deliverable interrupt nor stalled), in ascending number, preceded by the earliest
 * pending hardware event if there is one. The machine reuses one instance: a scheduler must not
 * keep it past {@link Scheduler#choose}.
 */
public interface Candidates {
    /** The number of candidates, at least 1. */
    int size();

    /** Candidate {@code i}: a CPU number, or {@link Scheduler#EVENT}. */
    int choice(int i);

    /** When candidate {@code i} would happen, in millicycles (1/1000 cycle): the CPU's clock or the event's time. */
    long time(int i);

    /** How many steps the machine has taken so far (the number of the step being chosen). */
    long step();

    /** What candidate {@code i} is, for schedulers that treat kinds of steps apart (injected delays). */
    default Kind kind(int i) {
        return choice(i) == Scheduler.EVENT ? Kind.OTHER_EVENT : Kind.CPU_USER;
    }

    /** Kinds of candidates. */
    enum Kind {
        /** A CPU whose next step starts in user mode (user code, or taking an interrupt). */
        CPU_USER,
        /** A CPU in kernel mode: its next step goes on with a kernel path or leaves the kernel. */
        CPU_KERNEL,
        /** An IPI reaching its target's APIC. */
        IPI,
        /** A timer tick reaching its CPU's APIC. */
        TIMER_TICK,
        /** A device interrupt. */
        OTHER_EVENT
    }

    /** Whether {@code choice} is one of the candidates. */
    default boolean contains(int choice) {
        for (int i = 0; i < size(); i++) {
            if (choice(i) == choice) {
                return true;
            }
        }
        return false;
    }

    /** "cpu0@1234.000, event@1240.625", for messages. */
    default String describe() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < size(); i++) {
            text.append(i == 0 ? "" : ", ").append(choice(i) == Scheduler.EVENT ? "event" : "cpu" + choice(i))
                    .append(String.format("@%.3f", time(i) / 1000.0));
        }
        return text.toString();
    }
}
