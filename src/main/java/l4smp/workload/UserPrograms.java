package l4smp.workload;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import l4smp.hw.Cpu;
import l4smp.hw.DeviceNotAvailable;
import l4smp.hw.Reg;
import l4smp.hw.mem.Access;
import l4smp.hw.mem.PageFault;
import l4smp.kernel.UserExit;
import l4smp.kernel.UserLand;
import l4smp.kernel.thread.ThreadId;
import l4smp.workload.Instruction.Alu;
import l4smp.workload.Instruction.Branch;
import l4smp.workload.Instruction.Immediate;
import l4smp.workload.Instruction.Operand;
import l4smp.workload.Instruction.RegisterOperand;

/**
 * The user level of a run: each task's image (programs at their code addresses) and the
 * interpreter that executes a thread's instructions on its CPU. A thread runs whatever program its
 * task has at its EIP; so lthread_ex_regs and task_new start threads simply by naming an address.
 *
 * <p>Every instruction costs one cycle plus what its memory accesses cost through the MMU and the
 * caches. The code is not in simulated memory, but fetching from a page the thread cannot read
 * page-faults like a real fetch would (checked when a burst starts and when EIP enters another
 * page): a new thread's first act is a fault on its code page unless its pager mapped it (§2.2.3).
 * A burst ends at a trap, a fault, or when it has used its budget; a {@code compute} longer than
 * that continues in the next burst.
 */
public final class UserPrograms implements UserLand {
    /** Cycles every instruction costs beyond its memory accesses. */
    public static final long INSTRUCTION_CYCLES = 1;

    private final Map<Integer, TreeMap<Long, Program>> images = new TreeMap<>();
    /** Per thread: the EIP of a compute instruction under way and the cycles it still needs. */
    private final Map<ThreadId, long[]> computing = new HashMap<>();

    /** Puts {@code program} into task {@code task}'s image. */
    public void load(int task, Program program) {
        TreeMap<Long, Program> image = images.computeIfAbsent(task, t -> new TreeMap<>());
        Map.Entry<Long, Program> below = image.floorEntry(program.end() - 1);
        if (below != null && below.getValue().end() > program.base()) {
            throw new IllegalArgumentException("program " + program.name() + " overlaps " + below.getValue().name()
                    + " in task " + task);
        }
        image.put(program.base(), program);
    }

    /** The program task {@code task} has at {@code eip}, or null. */
    public Program programAt(int task, long eip) {
        TreeMap<Long, Program> image = images.get(task);
        if (image == null) {
            return null;
        }
        Map.Entry<Long, Program> entry = image.floorEntry(eip);
        return entry != null && entry.getValue().contains(eip) ? entry.getValue() : null;
    }

    @Override
    public UserExit run(Cpu cpu, ThreadId thread, long budgetMillicycles) {
        long start = cpu.millicycles();
        long fetchedPage = -1;
        Program program = null;
        try {
            while (true) {
                long eip = cpu.registers().get(Reg.EIP) & 0xFFFFFFFFL;
                // The images do not change during a burst: the program of the last instruction
                // holds the next one unless EIP left it.
                if (program == null || !program.contains(eip)) {
                    program = programAt(thread.task(), eip);
                }
                if (program == null || (eip & 3) != 0) {
                    return UserExit.invalid(String.format("no instruction at EIP 0x%08x", eip));
                }
                if ((eip >>> 12) != fetchedPage) {
                    cpu.touchVirtual(eip, Access.READ);
                    fetchedPage = eip >>> 12;
                }
                long used = cpu.millicycles() - start;
                if (used >= budgetMillicycles) {
                    return UserExit.BUDGET;
                }
                UserExit exit = execute(cpu, thread, program.at(eip), eip, budgetMillicycles - used);
                if (exit != null) {
                    return exit;
                }
            }
        } catch (PageFault fault) {
            return UserExit.pageFault(fault);
        } catch (DeviceNotAvailable e) {
            return UserExit.FPU_UNAVAILABLE;
        } catch (IllegalArgumentException | IllegalStateException e) {
            return UserExit.invalid(e.getMessage());
        }
    }

    /** Executes one instruction; returns how the burst ends, or null to go on. */
    private UserExit execute(Cpu cpu, ThreadId thread, Instruction instruction, long eip, long budgetLeft) {
        var regs = cpu.registers();
        int next = (int) (eip + Program.INSTRUCTION_BYTES);
        if (instruction instanceof Alu alu) {
            regs.set(alu.dst(), alu(alu.op(), regs.get(alu.dst()), value(cpu, alu.source())));
        } else if (instruction instanceof Instruction.Load load) {
            long address = address(cpu, load.base(), load.offset());
            regs.set(load.dst(), load.isByte() ? cpu.loadByte(address) : cpu.load(address));
        } else if (instruction instanceof Instruction.Store store) {
            long address = address(cpu, store.base(), store.offset());
            int value = value(cpu, store.source());
            if (store.isByte()) {
                cpu.storeByte(address, value);
            } else {
                cpu.store(address, value);
            }
        } else if (instruction instanceof Branch branch) {
            if (taken(branch, cpu)) {
                next = branch.target();
            }
        } else if (instruction instanceof Instruction.Compute compute) {
            if (!compute(cpu, thread, eip, value(cpu, compute.cycles()), budgetLeft)) {
                return UserExit.BUDGET;
            }
        } else if (instruction instanceof Instruction.Trap trap) {
            cpu.charge(INSTRUCTION_CYCLES);
            regs.set(Reg.EIP, next);
            return UserExit.trap(trap.vector());
        } else if (instruction instanceof Instruction.FpuLoad fld) {
            regs.set(fld.dst(), cpu.fpuRead(fld.index()));
        } else if (instruction instanceof Instruction.FpuStore fst) {
            cpu.fpuWrite(fst.index(), value(cpu, fst.source()));
        } else if (instruction instanceof Instruction.ReadProcessor str) {
            regs.set(str.dst(), cpu.str());
        }
        cpu.charge(INSTRUCTION_CYCLES);
        regs.set(Reg.EIP, next);
        return null;
    }

    /** Computes for the instruction's cycles, across bursts; true when done. */
    private boolean compute(Cpu cpu, ThreadId thread, long eip, int cycles, long budgetLeft) {
        long[] state = computing.get(thread);
        long remaining = state != null && state[0] == eip ? state[1] : Math.max(0, cycles & 0xFFFFFFFFL);
        long now = Math.min(remaining, Math.max(1, budgetLeft / 1000));
        cpu.charge(now);
        remaining -= now;
        if (remaining > 0) {
            computing.put(thread, new long[] {eip, remaining});
            return false;
        }
        computing.remove(thread);
        return true;
    }

    private static int value(Cpu cpu, Operand operand) {
        return operand instanceof RegisterOperand r ? cpu.registers().get(r.reg()) : ((Immediate) operand).value();
    }

    private static long address(Cpu cpu, Reg base, int offset) {
        long b = base == null ? 0 : cpu.registers().get(base) & 0xFFFFFFFFL;
        return (b + offset) & 0xFFFFFFFFL;
    }

    private static int alu(Instruction.AluOp op, int left, int right) {
        return switch (op) {
            case MOV -> right;
            case ADD -> left + right;
            case SUB -> left - right;
            case AND -> left & right;
            case OR -> left | right;
            case XOR -> left ^ right;
            case SHL -> left << (right & 31);
            case SHR -> left >>> (right & 31);
        };
    }

    private static boolean taken(Branch branch, Cpu cpu) {
        if (branch.condition() == Instruction.Condition.ALWAYS) {
            return true;
        }
        boolean zero = (cpu.registers().get(Reg.EFLAGS) & Reg.ZF) != 0;
        if (branch.condition() == Instruction.Condition.ZF || branch.condition() == Instruction.Condition.NZF) {
            return zero == (branch.condition() == Instruction.Condition.ZF);
        }
        int l = cpu.registers().get(branch.left());
        int r = value(cpu, branch.right());
        return switch (branch.condition()) {
            case EQ -> l == r;
            case NE -> l != r;
            case LT -> l < r;
            case GE -> l >= r;
            case LTU -> Integer.compareUnsigned(l, r) < 0;
            case GEU -> Integer.compareUnsigned(l, r) >= 0;
            case ALWAYS, ZF, NZF -> true;
        };
    }
}
