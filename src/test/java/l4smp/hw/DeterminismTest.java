package l4smp.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import l4smp.hw.bench.Script;
import l4smp.hw.sched.ChoiceList;
import l4smp.hw.sched.ReplayDivergence;
import l4smp.hw.sched.ReplayScheduler;
import l4smp.hw.sched.Scheduler;
import l4smp.hw.sync.Spinlock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Same configuration and seed: the same run, cycle for cycle; a recorded run replays exactly. */
class DeterminismTest {
    private static final int STEPS = 3000;
    private static final long LOCK = 0x2000;
    private static final long COUNTER = 0x3000;

    /** What a run leaves behind to compare. */
    private record Run(List<LoggedEvent> events, long digest, long[] clocks, ChoiceList choices, MachineStats stats) {
        void assertSameAs(Run other) {
            assertEquals(other.events, events);
            assertEquals(other.digest, digest);
            assertEquals(List.of(boxed(other.clocks)), List.of(boxed(clocks)));
            assertEquals(other.stats, stats);
        }

        private static Long[] boxed(long[] values) {
            return java.util.Arrays.stream(values).boxed().toArray(Long[]::new);
        }
    }

    /**
     * Three CPUs with timers, taking a spinlock, incrementing a shared counter and sending each
     * other IPIs, with interrupts enabled between rounds.
     */
    private static Run run(int cpus, Scheduler scheduler) {
        Rig rig = new Rig(cpus, scheduler, EventLog.keepingAll());
        Spinlock lock = new Spinlock(LOCK, cpus);
        rig.software.onInterrupt((cpu, vector) -> {
            cpu.loadPhysical(COUNTER);
            cpu.apic().eoi();
            cpu.iret(Mode.KERNEL);
        });
        for (int id = 0; id < cpus; id++) {
            int next = (id + 1) % cpus;
            Script script = new Script().then(cpu -> cpu.apic().startTimer(2000 + 300L * cpu.id(), 0x20));
            for (int round = 0; round < 6; round++) {
                script.then(Cpu::cli)
                        .until(lock::acquireStep)
                        .then(cpu -> cpu.storePhysical(COUNTER, cpu.loadPhysical(COUNTER) + 1))
                        .then(lock::release)
                        .then(cpu -> cpu.apic().sendIpi(IpiDestination.cpu(next), 0x40))
                        .then(Cpu::sti)
                        .then(cpu -> cpu.charge(150));
            }
            rig.software.run(id, script);
        }
        rig.machine.run(STEPS);
        long[] clocks = new long[cpus];
        for (int id = 0; id < cpus; id++) {
            clocks[id] = rig.cpu(id).millicycles();
        }
        return new Run(rig.machine.log().events(), rig.machine.log().digest(), clocks, rig.machine.choices(),
                rig.machine.stats());
    }

    @Test
    void oneSeedGivesOneRun() {
        Run first = run(3, Scheduler.seededRandom(42));
        Run second = run(3, Scheduler.seededRandom(42));

        second.assertSameAs(first);
        assertEquals(first.choices(), second.choices());
        assertTrue(first.stats().interruptsTaken() > 10 && first.stats().ipisSent() > 10, first.stats().toString());
    }

    @Test
    void anotherSeedGivesAnotherRun() {
        assertNotEquals(run(3, Scheduler.seededRandom(1)).events(), run(3, Scheduler.seededRandom(2)).events());
    }

    @Test
    void theTimingRealisticScheduleIsDeterministicToo() {
        run(3, Scheduler.earliestClockFirst()).assertSameAs(run(3, Scheduler.earliestClockFirst()));
    }

    @Test
    void aSavedChoiceListReplaysTheRunExactly(@TempDir Path dir) throws IOException {
        Run recorded = run(3, Scheduler.seededRandom(7));
        Path file = dir.resolve("run.choices");
        recorded.choices().write(file);

        ChoiceList loaded = ChoiceList.read(file);
        Run replayed = run(3, new ReplayScheduler(loaded));

        assertEquals(recorded.choices(), loaded);
        replayed.assertSameAs(recorded);
    }

    @Test
    void aReplayedPrefixThenExplores() {
        Run recorded = run(3, Scheduler.seededRandom(7));
        int prefix = 500;

        Run explored = run(3, new ReplayScheduler(recorded.choices().prefix(prefix), Scheduler.seededRandom(99)));

        assertEquals(recorded.choices().prefix(prefix), explored.choices().prefix(prefix));
        assertNotEquals(recorded.choices(), explored.choices());
    }

    @Test
    void replayingOnAnotherMachineSaysWhereItDiverges() {
        ChoiceList threeCpus = run(3, Scheduler.seededRandom(5)).choices();

        ReplayDivergence divergence = assertThrows(ReplayDivergence.class,
                () -> run(2, new ReplayScheduler(threeCpus)));

        assertTrue(divergence.getMessage().matches("(?s)step \\d+: the recorded choice is cpu2, but the candidates are .*"),
                divergence.getMessage());
    }

    @Test
    void replayingPastTheEndIsAnError() {
        ChoiceList shortList = run(3, Scheduler.seededRandom(5)).choices().prefix(10);

        ReplayDivergence divergence = assertThrows(ReplayDivergence.class,
                () -> run(3, new ReplayScheduler(shortList)));

        assertTrue(divergence.getMessage().startsWith("the recorded choice list ends after 10 steps"),
                divergence.getMessage());
    }

    @Test
    void choiceListTextRoundTripsAndBadTextIsNamed() {
        ChoiceList list = ChoiceList.of(0, 1, Scheduler.EVENT, 2, 14);
        assertEquals(list, ChoiceList.parse(list.toText(), "x"));
        assertEquals(list, ChoiceList.parse("# saved\nl4smp-choices 1\n0 1 # comment\ne\n2 14\n", "x"));

        IllegalArgumentException header = assertThrows(IllegalArgumentException.class,
                () -> ChoiceList.parse("0 1 e\n", "run.choices"));
        IllegalArgumentException token = assertThrows(IllegalArgumentException.class,
                () -> ChoiceList.parse("l4smp-choices 1\n0 1\n1 x 0\n", "run.choices"));
        IllegalArgumentException cpu = assertThrows(IllegalArgumentException.class,
                () -> ChoiceList.parse("l4smp-choices 1\n15\n", "run.choices"));

        assertTrue(header.getMessage().startsWith("run.choices:1: expected the header"), header.getMessage());
        assertTrue(token.getMessage().startsWith("run.choices:3: token 2 is 'x'"), token.getMessage());
        assertTrue(cpu.getMessage().startsWith("run.choices:2: token 1 is '15'"), cpu.getMessage());
    }
}
