package l4smp.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** CR0.TS and device-not-available: what lazy FPU switching needs from the CPU. */
class FpuTest {
    @Test
    void withTaskSwitchedSetTheFirstFpuInstructionTraps() {
        Cpu cpu = new Rig(1).cpu(0);
        cpu.fpuWrite(0, 42);
        cpu.setTaskSwitched();

        assertThrows(DeviceNotAvailable.class, () -> cpu.fpuRead(0));
        assertThrows(DeviceNotAvailable.class, () -> cpu.fsave(0x5000));
        cpu.clts();
        assertEquals(42, cpu.fpuRead(0));
    }

    @Test
    void fsaveAndFrstorMoveTheStateThroughChargedMemory() {
        Rig rig = new Rig(1);
        Cpu cpu = rig.cpu(0);
        cpu.fpuWrite(3, 7);
        long accesses = rig.machine.caches().accesses();

        cpu.fsave(0x5000);
        assertEquals(0, cpu.fpuRead(3), "fsave reinitialises the FPU");
        cpu.frstor(0x5000);

        assertEquals(7, cpu.fpuRead(3));
        assertEquals(7, rig.machine.memory().readWord(0x5000 + 12));
        assertEquals(2 * Cpu.FPU_STATE_WORDS, rig.machine.caches().accesses() - accesses);
    }
}
