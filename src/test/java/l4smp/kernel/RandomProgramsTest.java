package l4smp.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import l4smp.workload.Scenario;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Whatever a user program asks for, the kernel answers with an L4 result, never a Java exception:
 * random programs issue random system calls with random registers (valid and invalid thread ids,
 * descriptors pointing anywhere, fpages, timeouts), load and store anywhere, use the FPU, under
 * random interleavings; the kernel's invariants are checked after every step. On three CPUs a
 * load balancer migrates the programs' threads (and itself, which is ignored) while they run.
 */
class RandomProgramsTest {
    private static final String[] REGS = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};
    private static final String[] VALUES = {"0", "1", "-1", "2", "0x200000", "0x200003", "0x201000", "0x300000",
        "0xBFF00000", "0xC0000000", "0xE0000000", "@a.main", "@a.two", "@b.main", "@sigma0", "tid(9, 0)", "tid(5, 0, 1)",
        "irq(2)", "fpage(0x200000, 12, rw)", "fpage(0x200000, 14, rw, grant)", "fpage(0x1000000, 16)", "fpage(0, 32)",
        "dope(5, 1)", "dope(4000, 31)", "0x0020000A", "0x80000002", "255", "0x00D00000 | 90", "0x00020000 | 10"};
    private static final String[] PARTNERS = {"@a.main", "@a.two", "@b.main", "@sigma0", "tid(9, 0)", "irq(2)", "esi"};
    private static final String[] OPTIONS = {"", "snd=0", "rcv=0", "snd=20us rcv=20us", "map", "msg=0x200000",
        "buf=0x200000", "window=fpage(0x1000000, 14)", "rpf=10us spf=10us", "msg=0x300000", "buf=0xBFFFF000"};
    /** Every option, and the XP fault bit. */
    private static final String[] SHORT_OPTIONS = {"", "snd=0", "rcv=0", "snd=20us rcv=20us", "map",
        "window=fpage(0x1000000, 14)", "xpfault", "snd=5us", "msg=0x200000", "buf=0x200000", "rpf=10us spf=10us"};
    private static final List<String> SYSCALLS = List.of("ipc", "id_nearest", "fpage_unmap", "thread_switch", "thread_schedule",
            "lthread_ex_regs", "task_new");
    private static final List<String> SHORT_SYSCALLS = SYSCALLS;

    private static String program(SplittableRandom random) {
        return program(random, false);
    }

    /** A random program; {@code smp}: one for threads on several CPUs, with short IPC and calls that stay on a CPU. */
    private static String program(SplittableRandom random, boolean smp) {
        StringBuilder text = new StringBuilder("""
                .data 0x200000, 0, dope(5, 1), dope(5, 1), 1, 2, 3, 4, 5
                .data 0x200020, 64, 0x201000, 64, 0x310000
                start:
                """);
        int length = 8 + random.nextInt(16);
        for (int i = 0; i < length; i++) {
            text.append(instruction(random, smp)).append('\n');
        }
        return text.append("        jmp start\n").toString();
    }

    private static String instruction(SplittableRandom r, boolean smp) {
        String reg = REGS[r.nextInt(REGS.length)];
        String value = VALUES[r.nextInt(VALUES.length)];
        return switch (r.nextInt(12)) {
            case 0, 1 -> "li " + reg + ", " + value;
            case 2, 3, 4 -> {
                String kind = List.of("send", "call", "receive", "wait", "reply_wait").get(r.nextInt(5));
                String partner = kind.equals("wait") ? "" : " " + PARTNERS[r.nextInt(PARTNERS.length)];
                String[] options = smp ? SHORT_OPTIONS : OPTIONS;
                yield "ipc " + kind + partner + " " + options[r.nextInt(options.length)];
            }
            case 5 -> {
                List<String> calls = smp ? SHORT_SYSCALLS : SYSCALLS;
                yield "syscall " + calls.get(r.nextInt(calls.size()));
            }
            case 6 -> "ld " + reg + ", [" + address(r) + "]";
            case 7 -> "st [" + address(r) + "], " + reg;
            case 8 -> "compute " + r.nextInt(3000);
            case 9 -> smp && r.nextInt(3) == 0 ? migrate(r) : r.nextBoolean() ? "fst 3, " + reg : "fld " + reg + ", 3";
            case 10 -> "sleep " + r.nextInt(30) + "us";
            default -> r.nextInt(25) == 0 && !smp ? "int " + (0x30 + r.nextInt(10)) : "nop";
        };
    }

    /** thread_schedule moving a thread (or the caller, or no one) to a processor 1..4 of 3, with a priority. */
    private static String migrate(SplittableRandom r) {
        String thread = PARTNERS[r.nextInt(4)];
        return String.format("li eax, 0x%08X%nli esi, %s%nsyscall thread_schedule", ((1 + r.nextInt(4)) << 16) | (80 + r.nextInt(40)),
                thread);
    }

    /** Mostly user addresses, mapped or not; now and then one that stops the thread. */
    private static String address(SplittableRandom r) {
        if (r.nextInt(25) == 0) {
            return List.of("0x200003", "0xC0000000", "0xE0000000").get(r.nextInt(3));
        }
        return List.of("0x200000", "0x200010", "0x201000", "0x300000", "0x1000000", "0xBFF000B8").get(r.nextInt(6));
    }

    private static Scenario scenario(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        String a = program(random);
        String two = program(random);
        String b = program(random);
        return Scenario.builder("random-" + seed).cpus(2).memoryMB(8).random(seed).steps(4_000)
                .kernel(KernelConfig.defaults().withTick(4_000).withTimeslice(12_000))
                .program("pa", a)
                .program("ptwo", two)
                .program("pb", b)
                .task("a", 5, t -> t.map(0x200000, 2, true).thread("main", 100, "sigma0", "pa", Map.of())
                        .thread("two", 90, "b.main", "ptwo", Map.of()))
                .task("b", 6, t -> t.map(0x200000, 2, true).thread("main", 110, "sigma0", "pb", Map.of()))
                .image(9, "spinner", Map.of()).build();
    }

    /** A load balancer: moves the random programs' threads between the CPUs while they run. */
    private static String balancer(SplittableRandom random) {
        StringBuilder text = new StringBuilder("start:\n");
        for (int i = 0; i < 6; i++) {
            text.append(migrate(random)).append("\ncompute ").append(random.nextInt(4000)).append('\n');
        }
        return text.append("jmp start\n").toString();
    }

    /** Threads on three CPUs, each pair talking across CPUs or on one (short IPC, timeouts, map items). */
    private static Scenario smpScenario(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        String a = program(random, true);
        String two = program(random, true);
        String b = program(random, true);
        String balancer = balancer(random);
        return Scenario.builder("random-smp-" + seed).cpus(3).memoryMB(8).random(seed).steps(6_000)
                .kernel(KernelConfig.defaults().withTick(4_000).withTimeslice(12_000).withMailboxesPerCpu(1 + (int) (seed % 2)))
                .program("pa", a)
                .program("ptwo", two)
                .program("pb", b)
                .task("a", 5, t -> t.map(0x200000, 2, true).thread("main", 0, 100, 0, "sigma0", "pa", Map.of())
                        .thread("two", 1, 90, 1, "b.main", "ptwo", Map.of()))
                .task("b", 6, t -> t.map(0x200000, 2, true).thread("main", 0, 110, 2, "sigma0", "pb", Map.of()))
                .program("pc", balancer)
                .task("c", 7, t -> t.thread("main", 0, 105, (int) (seed % 3), "sigma0", "pc", Map.of()))
                .build();
    }

    @Test
    void randomProgramsGetL4ResultsNeverExceptions() {
        assertTrue(run(1, 30) > 10_000, "the programs did make system calls");
    }

    @Test
    void randomProgramsOnThreeCpusGetL4ResultsNeverExceptions() {
        long before = migrations;
        assertTrue(run(RandomProgramsTest::smpScenario, 1, 40) > 10_000, "the programs did make system calls");
        assertTrue(migrations - before > 400, "the balancers moved threads (" + (migrations - before) + " migrations of "
                + issued + " calls, " + refused + " attempts refused while a thread was pinned by an IPC)");
    }

    /** Migrations the runs so far completed, thread_schedule calls that asked for one, attempts refused. */
    private static long migrations;
    private static long issued;
    private static long refused;

    /**
     * The same programs on a machine of four CPUs of which one, by seed cpu 1, 2 or 3, fails to
     * start (§8.2): the three that boot run them, and what asks every CPU (task_new's deletion,
     * fpage_unmap's shootdown) asks those three. The boot's wait for the failing CPU takes about
     * 5000 machine steps of barrier reads, on top of the programs' 6000.
     */
    @Test
    void randomProgramsAfterACpuWasMaskedOutGetL4ResultsNeverExceptions() {
        assertTrue(run(RandomProgramsTest::maskedOutScenario, 1, 10) > 5_000, "the programs did make system calls");
    }

    private static Scenario maskedOutScenario(long seed) {
        Scenario s = smpScenario(seed);
        int failing = 1 + (int) (seed % 3);
        return new Scenario(s.name() + "-cpu" + failing + "-failing", s.description(),
                new Scenario.MachineSpec(4, s.machine().memoryMB(), List.of(failing)), s.kernel(),
                new Scenario.RunSpec(s.run().steps() + 6_000, "random", seed), s.programs(), s.tasks(), s.images(),
                s.interrupts());
    }

    /** The same for a thousand more seeds (about 30 s): {@code mvn verify -Pslow}. */
    @Test
    @Tag("slow")
    void manyMoreRandomPrograms() {
        assertTrue(run(31, 1030) > 300_000);
        assertTrue(run(RandomProgramsTest::smpScenario, 41, 1040) > 300_000);
    }

    private static long run(long firstSeed, long lastSeed) {
        return run(RandomProgramsTest::scenario, firstSeed, lastSeed);
    }

    private static long run(java.util.function.LongFunction<Scenario> scenarios, long firstSeed, long lastSeed) {
        long kernelSteps = 0;
        for (long seed = firstSeed; seed <= lastSeed; seed++) {
            Scenario s = scenarios.apply(seed);
            Rig rig = new Rig(s);
            long[] steps = {0};
            long finalSeed = seed;
            rig.kernel.listener((step, view) -> {
                if (step.label().startsWith("boot.")) {
                    return; // SmpBootTest checks the boot; thousands of barrier reads here would only cost time
                }
                steps[0]++;
                if (step.ran(l4smp.kernel.observe.PathSegment.MIGRATE_ISSUE)) {
                    issued++;
                }
                try {
                    Invariants.check(step, view);
                } catch (AssertionError e) {
                    throw new AssertionError("seed " + finalSeed + ": " + e.getMessage(), e);
                }
            });
            try {
                rig.run();
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + " crashed the kernel after " + steps[0] + " steps:\n"
                        + s.programs(), e);
            }
            kernelSteps += steps[0];
            migrations += rig.kernel.migration().migrations();
            refused += rig.kernel.migration().refusals();
        }
        return kernelSteps;
    }
}
