package l4smp.pbt.conform;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import l4smp.kernel.KernelConfig;
import l4smp.workload.Scenario;
import l4smp.workload.Simulation;

/**
 * A generated workload for the kernel: tasks and threads placed on CPUs, each thread with a
 * straight-line program of system calls, and the kernel's tunables. {@link #toScenario()} writes
 * it as a scenario, whose programs log every IPC's result (EAX, ESI, EDX) in their own memory so
 * that a property can read what each thread saw ({@link IpcLog}).
 *
 * <p>Threads are numbered 0.. across the workload; a partner is a thread number taken modulo the
 * number of threads and a CPU modulo the number of CPUs, so deleting a thread or a CPU while
 * shrinking keeps every reference valid.
 *
 * @param family          which generator made it (statistics)
 * @param cpus            1..4
 * @param mailboxesPerCpu the kernel's mailbox pools
 * @param tickCycles      the timer tick: the resolution of timeouts
 * @param threads         the threads, each naming its task (0..3: tasks a..d)
 * @param steps           machine steps at most
 */
public record Workload(String family, int cpus, int mailboxesPerCpu, long tickCycles, List<ThreadPlan> threads, long steps) {
    public Workload {
        threads = List.copyOf(threads);
    }

    /** Where each thread's program logs its IPC results: page {@code lthread} from here, 16 bytes per IPC ({@link IpcLog}). */
    public static final long LOG_BASE = 0x0030_0000L;
    /** The page a map item sends, and the long message's descriptor. */
    static final long MAP_SOURCE = 0x0020_0000L;
    /** Pages sigma0 owns (above the kernel's 2 MB, below the loader's frames at the top of 8 MB) that nobody mapped. */
    static final long TOUCH_BASE = 0x0050_0000L;
    static final String[] TASKS = {"a", "b", "c", "d"};
    private static final java.util.regex.Pattern MODEL_THREAD = java.util.regex.Pattern.compile("t[0-9]+");

    /** A thread: its task (0..3), CPU (modulo the CPUs), priority and program. */
    public record ThreadPlan(int task, int cpu, int priority, List<Op> program) {
        public ThreadPlan {
            program = List.copyOf(program);
        }
    }

    /** Timeouts as the generator picks them. */
    public enum Tmo {
        ZERO("0"), SHORT("20us"), NEVER("never");

        final String text;

        Tmo(String text) {
            this.text = text;
        }
    }

    /** The IPC kinds of the ipc macro. */
    public enum Kind {
        SEND("send"), CALL("call"), RECEIVE("receive"), WAIT("wait"), REPLY_WAIT("reply_wait");

        final String macro;

        Kind(String macro) {
            this.macro = macro;
        }

        boolean sends() {
            return this == SEND || this == CALL || this == REPLY_WAIT;
        }

        boolean receives() {
            return this != SEND;
        }
    }

    /** What an IPC carries besides its register words. */
    public enum Extra { NONE, MAP, WINDOW, LONG }

    /** One statement of a program. */
    public sealed interface Op {
    }

    /** An IPC: {@code partner} is a thread number (ignored for an open receive). */
    public record Ipc(Kind kind, int partner, Tmo snd, Tmo rcv, Extra extra) implements Op {
    }

    public record Compute(int cycles) implements Op {
    }

    public record Sleep(int micros) implements Op {
    }

    /** thread_switch to a thread number, or to nil (-1). */
    public record ThreadSwitch(int to) implements Op {
    }

    /** lthread_ex_regs on a thread of the same task (its lthread modulo the task's threads), nothing changed: its IPC is canceled. */
    public record ExRegs(int sibling) implements Op {
    }

    /** fpage_unmap of the map source page, flushing what others got from it. */
    public record Unmap() implements Op {
    }

    /** A load from a page nobody mapped: a page fault, resolved by sigma0. */
    public record Touch(int page) implements Op {
    }

    /**
     * thread_schedule moving thread {@code thread} (a partner number; -1: the caller itself) to
     * CPU {@code cpu} (processor bits 16..19); generated only when migration is on.
     */
    public record Migrate(int thread, int cpu) implements Op {
    }

    /** The name of thread {@code i}: {@code task.t<i>}. */
    public String threadName(int i) {
        return TASKS[threads.get(i).task()] + ".t" + i;
    }

    /**
     * The model value of each thread in the specs: {@code t<i>} for thread i (its task left out, so
     * that runs with the same threads share a spec configuration), sigma0, other threads by name.
     */
    public static java.util.function.Function<l4smp.kernel.thread.ThreadId, String> modelNames(Simulation sim) {
        // asked for every thread on every checked kernel step: each kernel name is converted once
        java.util.Map<String, String> converted = new java.util.HashMap<>();
        return id -> converted.computeIfAbsent(sim.name(id), name -> {
            int dot = name.indexOf('.');
            String thread = dot < 0 ? name : name.substring(dot + 1);
            return MODEL_THREAD.matcher(thread).matches() ? thread : l4smp.refine.TlaNames.identifier(name);
        });
    }

    /** The CPU thread {@code i} is placed on. */
    public int cpuOf(int i) {
        return threads.get(i).cpu() % cpus;
    }

    /** Thread {@code t}'s partner {@code p}, as a thread number: {@code p} counts the other threads from t on, never t itself. */
    public int partnerOf(int t, int p) {
        int n = threads.size();
        return n == 1 ? t : (t + 1 + Math.floorMod(p, n - 1)) % n;
    }

    /** The partner number by which thread {@code t} names thread {@code target} (see {@link #partnerOf}). */
    static int partnerNumber(int t, int target, int threads) {
        return Math.floorMod(target - t - 1, threads);
    }

    /** The lthread of thread {@code i} within its task. */
    public int lthreadOf(int i) {
        int n = 0;
        for (int k = 0; k < i; k++) {
            if (threads.get(k).task() == threads.get(i).task()) {
                n++;
            }
        }
        return n;
    }

    /** The threads of thread {@code i}'s task, in order. */
    List<Integer> siblings(int i) {
        List<Integer> out = new ArrayList<>();
        for (int k = 0; k < threads.size(); k++) {
            if (threads.get(k).task() == threads.get(i).task()) {
                out.add(k);
            }
        }
        return out;
    }

    /** The word thread {@code t} sends in its IPC number {@code n} (from 0): unique in the run. */
    public static int word(int t, int n) {
        return 0x5000_0000 | t << 16 | n;
    }

    /** The scenario: tasks a..d (numbers 5..8), threads {@code task.t<i>}, one program each. */
    public Scenario toScenario() {
        Scenario.Builder b = Scenario.builder("generated-" + family).cpus(cpus).memoryMB(8).steps(steps)
                .description("generated by l4smp pbt (" + family + ")")
                .kernel(KernelConfig.defaults().withTick(tickCycles).withTimeslice(Math.max(tickCycles, 3 * tickCycles))
                        .withMailboxesPerCpu(mailboxesPerCpu)
                        // ProxyWakeup models one proxy per pair of CPUs (decision 0004): its families run without hand-over
                        .withProxyHandover(!family.equals("cross-cpu") && !family.equals("shared-proxy")));
        for (int i = 0; i < threads.size(); i++) {
            b.program("p" + i, program(i));
        }
        Map<Integer, List<Integer>> byTask = new TreeMap<>();
        for (int i = 0; i < threads.size(); i++) {
            byTask.computeIfAbsent(threads.get(i).task(), k -> new ArrayList<>()).add(i);
        }
        byTask.forEach((task, members) -> b.task(TASKS[task], 5 + task, t -> {
            t.map(LOG_BASE, members.size(), true);
            for (int i : members) {
                t.thread("t" + i, lthreadOf(i), threads.get(i).priority(), cpuOf(i), "sigma0", "p" + i, Map.of());
            }
        }));
        return b.build();
    }

    /** Thread {@code i}'s program in the scenario's assembly. */
    String program(int i) {
        StringBuilder text = new StringBuilder();
        text.append(".data 0x200000, 0, dope(5, 1), dope(5, 1), 1, 2, 3, 4, 5\n");
        text.append(".data 0x200020, 64, 0x201000, 64, 0x310000\n");
        text.append("        li   esp, ").append(hex(LOG_BASE + 0x1000L * lthreadOf(i))).append('\n');
        int n = 0;
        for (Op op : threads.get(i).program()) {
            if (op instanceof Ipc ipc) {
                ipc(text, i, n++, ipc);
            } else if (op instanceof Compute c) {
                text.append("        compute ").append(c.cycles()).append('\n');
            } else if (op instanceof Sleep s) {
                text.append("        sleep ").append(s.micros()).append("us\n");
            } else if (op instanceof ThreadSwitch s) {
                text.append("        li   esi, ").append(s.to() < 0 ? "0" : "@" + threadName(partnerOf(i, s.to())))
                        .append("\n        syscall thread_switch\n");
            } else if (op instanceof ExRegs e) {
                text.append("        li   eax, ").append(lthreadOf(sibling(i, e))).append("\n        li   ecx, -1\n")
                        .append("        li   edx, -1\n        li   esi, -1\n        syscall lthread_ex_regs\n");
            } else if (op instanceof Unmap) {
                text.append("        li   eax, fpage(0x200000, 12, rw)\n        li   ecx, 2\n        syscall fpage_unmap\n");
            } else if (op instanceof Touch t) {
                text.append("        ld   ecx, [").append(hex(TOUCH_BASE + 0x1000L * t.page())).append("]\n");
            } else if (op instanceof Migrate m) {
                // the target keeps its priority (one above the caller's MCP would refuse the call)
                text.append("        li   eax, ").append(hex(threads.get(migrated(i, m)).priority() | (long) (m.cpu() % cpus + 1) << 16))
                        .append("\n        li   esi, @").append(threadName(migrated(i, m)))
                        .append("\n        syscall thread_schedule\n");
            }
        }
        return text.append("        halt\n").toString();
    }

    private void ipc(StringBuilder text, int i, int n, Ipc ipc) {
        if (ipc.kind().sends()) {
            if (ipc.extra() == Extra.MAP) {
                text.append("        li   edx, 0x200000\n        li   ebx, fpage(0x200000, 12, rw)\n");
            } else {
                text.append("        li   edx, ").append(hex(word(i, n) & 0xFFFF_FFFFL)).append('\n');
            }
        }
        text.append("        ipc  ").append(ipc.kind().macro);
        if (ipc.kind() != Kind.WAIT) {
            text.append(" @").append(threadName(partnerOf(i, ipc.partner())));
        }
        if (ipc.kind().sends()) {
            text.append(" snd=").append(ipc.snd().text);
        }
        if (ipc.kind().receives()) {
            text.append(" rcv=").append(ipc.rcv().text);
        }
        switch (ipc.extra()) {
            case MAP -> text.append(" map");
            case WINDOW -> text.append(ipc.kind().receives() ? " window=fpage(0x1000000, 14)" : "");
            case LONG -> text.append(ipc.kind().sends() ? " msg=0x200000" : "").append(ipc.kind().receives() ? " buf=0x200000" : "");
            default -> {
            }
        }
        text.append("\n        st   [esp], eax\n        st   [esp + 4], esi\n        st   [esp + 8], edx\n        st   [esp + 12], ")
                .append(hex(IpcLog.MARKER | n)).append("\n        add  esp, 16\n");
    }

    private static String hex(long v) {
        return String.format("0x%x", v);
    }

    /** The IPCs of thread {@code i}'s program, in order. */
    public List<Ipc> ipcs(int i) {
        List<Ipc> out = new ArrayList<>();
        for (Op op : threads.get(i).program()) {
            if (op instanceof Ipc ipc) {
                out.add(ipc);
            }
        }
        return out;
    }

    /** Short text: family, CPUs, then each thread with its CPU and program. */
    public String describe() {
        StringBuilder text = new StringBuilder(family + " on " + cpus + " cpu" + (cpus == 1 ? "" : "s") + ", "
                + mailboxesPerCpu + " mailbox" + (mailboxesPerCpu == 1 ? "" : "es") + " per cpu, tick " + tickCycles + "\n");
        for (int i = 0; i < threads.size(); i++) {
            List<String> ops = new ArrayList<>();
            for (Op op : threads.get(i).program()) {
                ops.add(describe(i, op));
            }
            text.append("  ").append(threadName(i)).append(" cpu").append(cpuOf(i)).append(" prio ")
                    .append(threads.get(i).priority()).append(": ").append(String.join("; ", ops)).append('\n');
        }
        return text.toString();
    }

    private String describe(int i, Op op) {
        if (op instanceof Ipc ipc) {
            return ipc.kind().macro + (ipc.kind() == Kind.WAIT ? "" : " " + threadName(partnerOf(i, ipc.partner())))
                    + (ipc.kind().sends() ? " snd=" + ipc.snd().text : "") + (ipc.kind().receives() ? " rcv=" + ipc.rcv().text : "")
                    + (ipc.extra() == Extra.NONE ? "" : " " + ipc.extra().name().toLowerCase(java.util.Locale.ROOT));
        } else if (op instanceof Compute c) {
            return "compute " + c.cycles();
        } else if (op instanceof Sleep s) {
            return "sleep " + s.micros() + "us";
        } else if (op instanceof ThreadSwitch s) {
            return "thread_switch " + (s.to() < 0 ? "nil" : threadName(partnerOf(i, s.to())));
        } else if (op instanceof ExRegs e) {
            return "lthread_ex_regs " + threadName(sibling(i, e));
        } else if (op instanceof Unmap) {
            return "fpage_unmap";
        } else if (op instanceof Touch t) {
            return "touch page " + t.page();
        }
        Migrate m = (Migrate) op;
        return "thread_schedule " + threadName(migrated(i, m)) + " to cpu" + m.cpu() % cpus;
    }

    /** The thread thread {@code i}'s thread_schedule names. */
    private int migrated(int i, Migrate m) {
        return m.thread() < 0 ? i : partnerOf(i, m.thread());
    }

    /** The thread an lthread_ex_regs of thread {@code i} names. */
    private int sibling(int i, ExRegs e) {
        List<Integer> sib = siblings(i);
        return sib.get(Math.floorMod(e.sibling(), sib.size()));
    }
}
