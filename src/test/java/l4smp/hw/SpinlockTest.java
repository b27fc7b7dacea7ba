package l4smp.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import l4smp.hw.bench.Script;
import l4smp.hw.cache.AccessOutcome;
import l4smp.hw.cache.Mesi;
import l4smp.hw.sched.Scheduler;
import l4smp.hw.sync.Spinlock;
import org.junit.jupiter.api.Test;

/** Appendix A's spinlock: mutual exclusion in every explored interleaving, and quiet spinning. */
class SpinlockTest {
    private static final long LOCK = 0x2000;
    private static final long COUNTER = 0x3000;
    private static final int CPUS = 3;
    private static final int ROUNDS = 3;

    /** A lock as the workers use it: one instruction per call. */
    private interface Lock {
        boolean acquireStep(Cpu cpu);

        void release(Cpu cpu);

        boolean spinning(Cpu cpu);
    }

    private static Lock appendixA() {
        Spinlock lock = new Spinlock(LOCK, CPUS);
        return new Lock() {
            @Override
            public boolean acquireStep(Cpu cpu) {
                return lock.acquireStep(cpu);
            }

            @Override
            public void release(Cpu cpu) {
                lock.release(cpu);
            }

            @Override
            public boolean spinning(Cpu cpu) {
                return lock.isSpinning(cpu);
            }
        };
    }

    /** Test, then set, in two steps without a locked instruction: the bug Appendix A avoids. */
    private static Lock testThenSet() {
        boolean[] sawFree = new boolean[CPUS];
        return new Lock() {
            @Override
            public boolean acquireStep(Cpu cpu) {
                if (!sawFree[cpu.id()]) {
                    sawFree[cpu.id()] = cpu.loadPhysical(LOCK) == 0;
                    return false;
                }
                sawFree[cpu.id()] = false;
                cpu.storePhysical(LOCK, 1);
                return true;
            }

            @Override
            public void release(Cpu cpu) {
                cpu.storePhysical(LOCK, 0);
            }

            @Override
            public boolean spinning(Cpu cpu) {
                return false;
            }
        };
    }

    /** What one run showed. */
    private record Outcome(boolean exclusive, int counter, boolean contended) {
    }

    /** Each CPU: ROUNDS times acquire, read the counter, write it plus one, release; one step each. */
    private static Outcome run(Lock lock, Scheduler scheduler) {
        Rig rig = Rig.small(CPUS, scheduler);
        Set<Integer> inside = new HashSet<>();
        boolean[] exclusive = {true};
        boolean[] contended = {false};
        for (int id = 0; id < CPUS; id++) {
            Script script = new Script();
            for (int round = 0; round < ROUNDS; round++) {
                int[] value = {0};
                script.until(cpu -> {
                    boolean acquired = lock.acquireStep(cpu);
                    contended[0] |= lock.spinning(cpu);
                    return acquired;
                }).then(cpu -> {
                    inside.add(cpu.id());
                    exclusive[0] &= inside.size() == 1;
                    value[0] = cpu.loadPhysical(COUNTER);
                }).then(cpu -> cpu.storePhysical(COUNTER, value[0] + 1))
                        .then(cpu -> {
                            inside.remove(cpu.id());
                            lock.release(cpu);
                        });
            }
            rig.software.run(id, script);
        }
        RunResult result = rig.machine.run(100_000);
        assertEquals(RunResult.Reason.QUIESCENT, result.reason(), rig.machine.describeState());
        return new Outcome(exclusive[0], rig.machine.memory().readWord(COUNTER), contended[0]);
    }

    @Test
    void mutualExclusionUnderManySeededInterleavings() {
        int contendedRuns = 0;
        for (long seed = 0; seed < 200; seed++) {
            Outcome outcome = run(appendixA(), Scheduler.seededRandom(seed));
            assertTrue(outcome.exclusive(), "two CPUs in the critical section with seed " + seed);
            assertEquals(CPUS * ROUNDS, outcome.counter(), "lost update with seed " + seed);
            contendedRuns += outcome.contended() ? 1 : 0;
        }
        assertTrue(contendedRuns > 50, "the seeds must make CPUs wait for the lock; only " + contendedRuns + " did");
    }

    @Test
    void mutualExclusionOnTheTimingRealisticSchedule() {
        Outcome outcome = run(appendixA(), Scheduler.earliestClockFirst());
        assertTrue(outcome.exclusive());
        assertEquals(CPUS * ROUNDS, outcome.counter());
    }

    @Test
    void theSameInterleavingsBreakALockWithoutALockedInstruction() {
        boolean broken = false;
        for (long seed = 0; seed < 200 && !broken; seed++) {
            Outcome outcome = run(testThenSet(), Scheduler.seededRandom(seed));
            broken = !outcome.exclusive() || outcome.counter() != CPUS * ROUNDS;
        }
        assertTrue(broken, "the exploration must be able to find the race");
    }

    @Test
    void spinningOnAHeldLockHitsTheOwnCacheOnly() {
        Rig rig = new Rig(2);
        Spinlock lock = new Spinlock(LOCK, 2);
        int[] spins = {0};
        rig.software.run(0, new Script()
                .until(lock::acquireStep)
                .repeat(100, (cpu, i) -> cpu.charge(100))
                .then(lock::release));
        rig.software.run(1, new Script()
                .then(cpu -> cpu.charge(50))
                .until(cpu -> {
                    spins[0]++;
                    return lock.acquireStep(cpu);
                }));
        var caches = rig.machine.caches();

        rig.machine.runUntil(() -> spins[0] == 10, 10_000);
        long hits = caches.count(AccessOutcome.L1_HIT);
        long accesses = caches.accesses();
        rig.machine.runUntil(() -> spins[0] == 30, 10_000);

        assertEquals(20, caches.count(AccessOutcome.L1_HIT) - hits, "20 spin reads, all L1 hits");
        assertEquals(20, caches.accesses() - accesses, "and no other access");
        assertEquals(Mesi.MODIFIED, caches.state(1, LOCK), "the failed lock bts wrote the line once; reads then stay local");
        assertEquals(RunResult.Reason.QUIESCENT, rig.machine.run(100_000).reason());
        assertEquals(Mesi.MODIFIED, caches.state(1, LOCK), "cpu1 got the lock after the release");
    }
}
