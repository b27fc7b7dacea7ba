package l4smp.refine;

import java.util.List;
import l4smp.kernel.ipc.CompletionCode;
import l4smp.kernel.ipc.Timeout;
import l4smp.kernel.thread.ThreadId;
import l4smp.kernel.thread.ThreadState;
import l4smp.trace.TlaValue;

/** The TLA+ values kernel things map to in L4Common's words: model values for CPUs, threads and Nil; strings for states and codes. */
public final class TlaNames {
    static final TlaValue NIL = TlaValue.model("Nil");
    static final List<String> TIMEOUTS = List.of("zero", "finite", "never");

    private static final java.util.regex.Pattern NOT_IN_IDENTIFIER = java.util.regex.Pattern.compile("[^A-Za-z0-9_]");

    private final java.util.function.Function<ThreadId, String> names;

    TlaNames(KernelRun run) {
        this(run::name);
    }

    TlaNames(java.util.function.Function<ThreadId, String> names) {
        this.names = names;
    }

    /**
     * A TLA+ identifier for a thread's name: '.' and '-' become '_'. TLC takes a model value named
     * {@code x_...} (one letter, then '_') to have type x and refuses to compare it with another
     * type's, so such a name gets "th" in front ({@code s.main} is {@code ths_main}).
     */
    public static String identifier(String name) {
        String id = NOT_IN_IDENTIFIER.matcher(name).replaceAll("_");
        if (id.isEmpty() || Character.isDigit(id.charAt(0))) {
            id = "th" + id;
        }
        return id.length() > 1 && id.charAt(1) == '_' ? "th" + id : id;
    }

    static String cpuName(int cpu) {
        return "cpu" + cpu;
    }

    /** The model values of a run's CPUs, cpu0 .. cpu(n-1). */
    static java.util.List<String> cpuNames(int cpus) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (int c = 0; c < cpus; c++) {
            out.add(cpuName(c));
        }
        return out;
    }

    /** The end of a generated trace-checking cfg: the initial predicate, Next, and the invariants to check. */
    static String behaviourAndInvariants(String init, java.util.List<String> invariants) {
        StringBuilder cfg = new StringBuilder("INIT ").append(init).append("\nNEXT Next\n");
        if (!invariants.isEmpty()) {
            cfg.append("INVARIANTS\n");
            invariants.forEach(i -> cfg.append("    ").append(i).append('\n'));
        }
        return cfg.toString();
    }

    static TlaValue cpu(int cpu) {
        return TlaValue.model(cpuName(cpu));
    }

    /** A thread's model value, or Nil for the nil id. */
    TlaValue thread(ThreadId id) {
        return id == null || id.isNil() ? NIL : TlaValue.model(names.apply(id));
    }

    static TlaValue state(ThreadState s) {
        return TlaValue.str(s.label());
    }

    static TlaValue code(CompletionCode c) {
        return TlaValue.str(c.label());
    }

    static TlaValue timeout(Timeout.Kind k) {
        return k == null ? NIL : TlaValue.str(k.label());
    }

    /** {@code <<t, n>>}: t's n-th IPC's message (XpIpc's Msg). */
    TlaValue message(ThreadId t, int n) {
        return TlaValue.seq(thread(t), TlaValue.of(n));
    }
}
