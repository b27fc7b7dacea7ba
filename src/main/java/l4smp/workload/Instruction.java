package l4smp.workload;

import l4smp.hw.Reg;

/**
 * One instruction of the small user-level instruction set the workload runs on the simulated
 * Pentium: register arithmetic, loads and stores through the MMU (so they page-fault), compute for
 * n cycles, branches on registers, software interrupts (system calls), and FPU accesses (for lazy
 * FPU switching). Each instruction occupies 4 bytes of the program's code; EIP is its address.
 * {@link Assembler} reads them from text; {@link Interpreter} executes them.
 */
public sealed interface Instruction {
    /** A register or an immediate. */
    sealed interface Operand {
    }

    record RegisterOperand(Reg reg) implements Operand {
        @Override
        public String toString() {
            return reg.name().toLowerCase();
        }
    }

    record Immediate(int value) implements Operand {
        @Override
        public String toString() {
            return Integer.toString(value);
        }
    }

    /** The ALU operations. */
    enum AluOp { MOV, ADD, SUB, AND, OR, XOR, SHL, SHR }

    /** {@code dst := dst op source} ({@code mov} just copies). */
    record Alu(AluOp op, Reg dst, Operand source) implements Instruction {
    }

    /** A word (or byte) load {@code dst := [base + offset]}; {@code base} null means absolute. */
    record Load(Reg dst, Reg base, int offset, boolean isByte) implements Instruction {
    }

    /** A word (or byte) store {@code [base + offset] := source}. */
    record Store(Reg base, int offset, Operand source, boolean isByte) implements Instruction {
    }

    /**
     * The branch conditions; {@code ALWAYS} is {@code jmp}; {@code ZF} and {@code NZF} ({@code jz},
     * {@code jnz}) test the zero flag, which the kernel sets when an IPC crossed CPUs (§7.1).
     */
    enum Condition { ALWAYS, EQ, NE, LT, GE, LTU, GEU, ZF, NZF }

    /** Jump to {@code target} (an address) if {@code left cond right}. */
    record Branch(Condition condition, Reg left, Operand right, int target) implements Instruction {
    }

    /** Spend {@code cycles} cycles computing (interruptible: it continues where it was preempted). */
    record Compute(Operand cycles) implements Instruction {
    }

    /** {@code int vector}: a system call for 0x30..0x36. */
    record Trap(int vector) implements Instruction {
    }

    /** An FPU instruction reading word {@code index} of the FPU state into {@code dst}. */
    record FpuLoad(Reg dst, int index) implements Instruction {
    }

    /** An FPU instruction writing {@code source} to word {@code index} of the FPU state. */
    record FpuStore(int index, Operand source) implements Instruction {
    }

    /** {@code str dst}: the processor number from the Task Register (§8.8.1). */
    record ReadProcessor(Reg dst) implements Instruction {
    }

    /** Does nothing for one cycle. */
    record Nop() implements Instruction {
    }
}
