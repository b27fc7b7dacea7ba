package l4smp.workload;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import l4smp.hw.Cpu;
import l4smp.hw.Reg;
import l4smp.kernel.irq.Vectors;
import l4smp.kernel.thread.ThreadId;
import l4smp.workload.Instruction.Alu;
import l4smp.workload.Instruction.AluOp;
import l4smp.workload.Instruction.Branch;
import l4smp.workload.Instruction.Condition;
import l4smp.workload.Instruction.Immediate;
import l4smp.workload.Instruction.Operand;
import l4smp.workload.Instruction.RegisterOperand;
import l4smp.workload.Instruction.Trap;

/**
 * Reads a program's text (one statement per line, {@code ;} or {@code #} starts a comment,
 * {@code label:} before a statement names its address) into a {@link Program}. The instruction
 * set and the {@code ipc}, {@code syscall}, {@code sleep} and {@code halt} macros are documented in
 * scenarios/README.md. Two passes: the first lays statements out and collects labels, the second
 * evaluates operands, so a branch may name a label further down.
 */
public final class Assembler {
    private record Statement(int line, String mnemonic, String operands, long address) {
    }

    private final String name;
    private final long base;
    private final Function<String, ThreadId> threads;
    private final Map<String, Long> symbols = new LinkedHashMap<>();
    private final Map<Long, Integer> data = new TreeMap<>();
    private final List<Instruction> code = new ArrayList<>();
    private final List<Integer> lines = new ArrayList<>();
    private Expressions expressions;

    private Assembler(String name, long base, Function<String, ThreadId> threads) {
        this.name = name;
        this.base = base;
        this.threads = threads;
    }

    /**
     * Assembles {@code source}.
     *
     * @param base    where the code goes (4 KB aligned)
     * @param threads resolves {@code @task.thread} references to thread ids (null: unknown)
     */
    public static Program assemble(String name, String source, long base, Function<String, ThreadId> threads)
            throws AssemblyException {
        if ((base & 0xFFF) != 0) {
            throw new IllegalArgumentException("code must start on a page boundary, not at 0x" + Long.toHexString(base));
        }
        Assembler assembler = new Assembler(name, base, threads);
        List<Statement> statements = assembler.layOut(source.split("\r?\n", -1));
        for (Statement statement : statements) {
            try {
                assembler.emit(statement);
            } catch (IllegalArgumentException e) {
                throw new AssemblyException(name, statement.line, e.getMessage());
            }
        }
        return new Program(name, base, assembler.code, assembler.labelsOnly(), assembler.data, assembler.lines);
    }

    private Map<String, Long> labelsOnly() {
        return symbols;
    }

    // ---- pass 1 ----

    private List<Statement> layOut(String[] text) throws AssemblyException {
        expressions = new Expressions(symbols, threads);
        List<Statement> statements = new ArrayList<>();
        long address = base;
        for (int i = 0; i < text.length; i++) {
            int line = i + 1;
            String s = stripComment(text[i]).trim();
            int colon = labelEnd(s);
            if (colon > 0) {
                String label = s.substring(0, colon).trim();
                if (symbols.containsKey(label)) {
                    throw new AssemblyException(name, line, "label '" + label + "' is defined twice");
                }
                symbols.put(label, address);
                s = s.substring(colon + 1).trim();
            }
            if (s.isEmpty()) {
                continue;
            }
            int space = firstSpace(s);
            String mnemonic = (space < 0 ? s : s.substring(0, space)).toLowerCase(Locale.ROOT);
            String operands = space < 0 ? "" : s.substring(space + 1).trim();
            if (mnemonic.equals(".equ")) {
                defineEqu(line, operands);
                continue;
            }
            int size;
            try {
                size = size(mnemonic, operands);
            } catch (IllegalArgumentException e) {
                throw new AssemblyException(name, line, e.getMessage());
            }
            statements.add(new Statement(line, mnemonic, operands, address));
            address += (long) Program.INSTRUCTION_BYTES * size;
        }
        return statements;
    }

    private static String stripComment(String line) {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && (c == ';' || c == '#')) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    /** The index of a label's colon at the start of {@code s}, or -1. */
    private static int labelEnd(String s) {
        int i = 0;
        while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '.')) {
            i++;
        }
        return i > 0 && i < s.length() && s.charAt(i) == ':' && !Character.isDigit(s.charAt(0)) ? i : -1;
    }

    private static int firstSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private void defineEqu(int line, String operands) throws AssemblyException {
        List<String> parts = split(operands);
        if (parts.size() != 2) {
            throw new AssemblyException(name, line, ".equ needs a name and a value: .equ NAME, VALUE");
        }
        try {
            symbols.put(parts.get(0), expressions.evaluate(parts.get(1)));
        } catch (IllegalArgumentException e) {
            throw new AssemblyException(name, line, e.getMessage());
        }
    }

    /** How many instructions a statement becomes (0 for data directives). */
    private static int size(String mnemonic, String operands) {
        return switch (mnemonic) {
            case ".data", ".ascii" -> 0;
            case "ipc" -> IpcMacro.parse(operands).size();
            case "halt" -> 6;
            case "sleep" -> 5;
            case "li", "mov", "add", "sub", "and", "or", "xor", "shl", "shr", "ld", "ldb", "st", "stb", "jmp", "jz", "jnz", "beq",
                    "bne", "blt", "bge", "bltu", "bgeu", "compute", "int", "syscall", "fld", "fst", "str", "nop" -> 1;
            default -> throw new IllegalArgumentException("unknown instruction '" + mnemonic + "'");
        };
    }

    // ---- pass 2 ----

    private void emit(Statement s) {
        List<String> ops = split(s.operands);
        switch (s.mnemonic) {
            case ".data" -> data(s, ops);
            case ".ascii" -> ascii(s, ops);
            case "ipc" -> IpcMacro.parse(s.operands).emit(this, s.line);
            case "halt" -> {
                sleepFor(s.line, "never");
                add(s.line, new Branch(Condition.ALWAYS, null, null, (int) s.address));
            }
            case "sleep" -> {
                expect(ops, 1, "sleep TIME (e.g. sleep 100us, sleep never)");
                sleepFor(s.line, ops.get(0));
            }
            case "li", "mov" -> {
                expect(ops, 2, s.mnemonic + " REG, VALUE");
                add(s.line, new Alu(AluOp.MOV, reg(ops.get(0)), operand(ops.get(1))));
            }
            case "add", "sub", "and", "or", "xor", "shl", "shr" -> {
                expect(ops, 2, s.mnemonic + " REG, VALUE");
                add(s.line, new Alu(AluOp.valueOf(s.mnemonic.toUpperCase(Locale.ROOT)), reg(ops.get(0)), operand(ops.get(1))));
            }
            case "ld", "ldb" -> {
                expect(ops, 2, s.mnemonic + " REG, [ADDRESS]");
                Memory m = memory(ops.get(1));
                add(s.line, new Instruction.Load(reg(ops.get(0)), m.base, m.offset, s.mnemonic.equals("ldb")));
            }
            case "st", "stb" -> {
                expect(ops, 2, s.mnemonic + " [ADDRESS], VALUE");
                Memory m = memory(ops.get(0));
                add(s.line, new Instruction.Store(m.base, m.offset, operand(ops.get(1)), s.mnemonic.equals("stb")));
            }
            case "jmp" -> {
                expect(ops, 1, "jmp LABEL");
                add(s.line, new Branch(Condition.ALWAYS, null, null, target(ops.get(0))));
            }
            case "jz", "jnz" -> {
                expect(ops, 1, s.mnemonic + " LABEL (branch on the zero flag the last IPC set: cross-processor)");
                Condition c = s.mnemonic.equals("jz") ? Condition.ZF : Condition.NZF;
                add(s.line, new Branch(c, null, null, target(ops.get(0))));
            }
            case "beq", "bne", "blt", "bge", "bltu", "bgeu" -> {
                expect(ops, 3, s.mnemonic + " REG, VALUE, LABEL");
                Condition c = Condition.valueOf(s.mnemonic.substring(1).toUpperCase(Locale.ROOT));
                add(s.line, new Branch(c, reg(ops.get(0)), operand(ops.get(1)), target(ops.get(2))));
            }
            case "compute" -> {
                expect(ops, 1, "compute CYCLES");
                add(s.line, new Instruction.Compute(operand(ops.get(0))));
            }
            case "int" -> {
                expect(ops, 1, "int VECTOR");
                add(s.line, new Trap((int) value(ops.get(0))));
            }
            case "syscall" -> {
                expect(ops, 1, "syscall NAME");
                add(s.line, new Trap(syscallVector(ops.get(0))));
            }
            case "fld" -> {
                expect(ops, 2, "fld REG, INDEX");
                add(s.line, new Instruction.FpuLoad(reg(ops.get(0)), fpuIndex(ops.get(1))));
            }
            case "fst" -> {
                expect(ops, 2, "fst INDEX, VALUE");
                add(s.line, new Instruction.FpuStore(fpuIndex(ops.get(0)), operand(ops.get(1))));
            }
            case "str" -> {
                expect(ops, 1, "str REG");
                add(s.line, new Instruction.ReadProcessor(reg(ops.get(0))));
            }
            case "nop" -> add(s.line, new Instruction.Nop());
            default -> throw new IllegalStateException("unreachable: " + s.mnemonic);
        }
    }

    void add(int line, Instruction instruction) {
        code.add(instruction);
        lines.add(line);
    }

    /** Receive from nil, which nobody can send: sleep until the timeout. */
    private void sleepFor(int line, String timeout) {
        add(line, new Alu(AluOp.MOV, Reg.EAX, new Immediate(-1)));
        add(line, new Alu(AluOp.MOV, Reg.EBP, new Immediate(0)));
        add(line, new Alu(AluOp.MOV, Reg.ESI, new Immediate(0)));
        add(line, new Alu(AluOp.MOV, Reg.ECX, new Immediate(IpcMacro.timeoutWord("never", timeout, "never", "never"))));
        add(line, new Trap(Vectors.IPC));
    }

    private void data(Statement s, List<String> ops) {
        if (ops.size() < 2) {
            throw new IllegalArgumentException(".data needs an address and at least one word: .data ADDRESS, WORD, ...");
        }
        long address = value(ops.get(0));
        if ((address & 3) != 0) {
            throw new IllegalArgumentException(".data address 0x" + Long.toHexString(address) + " is not 4-byte aligned");
        }
        for (int i = 1; i < ops.size(); i++) {
            data.put(address + 4L * (i - 1), (int) value(ops.get(i)));
        }
    }

    private void ascii(Statement s, List<String> ops) {
        int comma = s.operands.indexOf(',');
        if (comma < 0) {
            throw new IllegalArgumentException(".ascii needs an address and a quoted string: .ascii ADDRESS, \"text\"");
        }
        long address = value(s.operands.substring(0, comma));
        String text = s.operands.substring(comma + 1).trim();
        if (text.length() < 2 || !text.startsWith("\"") || !text.endsWith("\"")) {
            throw new IllegalArgumentException(".ascii text must be in double quotes");
        }
        byte[] bytes = text.substring(1, text.length() - 1).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            long at = address + i;
            long word = at & ~3L;
            int shift = 8 * (int) (at & 3);
            int old = data.getOrDefault(word, 0);
            data.put(word, (old & ~(0xFF << shift)) | ((bytes[i] & 0xFF) << shift));
        }
    }

    // ---- operands ----

    private record Memory(Reg base, int offset) {
    }

    private Memory memory(String text) {
        String t = text.trim();
        if (!t.startsWith("[") || !t.endsWith("]")) {
            throw new IllegalArgumentException("a memory operand is written [REG], [REG + OFFSET] or [ADDRESS], not '" + t + "'");
        }
        String inside = t.substring(1, t.length() - 1).trim();
        String first = inside.split("[+\\-\\s]", 2)[0].trim();
        Reg base = registerOrNull(first);
        if (base == null) {
            return new Memory(null, (int) value(inside));
        }
        String rest = inside.substring(first.length()).trim();
        return new Memory(base, rest.isEmpty() ? 0 : (int) value("0" + rest));
    }

    Operand operand(String text) {
        Reg r = registerOrNull(text.trim());
        return r != null ? new RegisterOperand(r) : new Immediate((int) value(text));
    }

    Reg reg(String text) {
        Reg r = registerOrNull(text.trim());
        if (r == null) {
            throw new IllegalArgumentException("'" + text.trim() + "' is not a register (eax ecx edx ebx esp ebp esi edi)");
        }
        return r;
    }

    static Reg registerOrNull(String text) {
        for (Reg r : Reg.values()) {
            if (r != Reg.EIP && r != Reg.EFLAGS && r.name().equalsIgnoreCase(text)) {
                return r;
            }
        }
        return null;
    }

    long value(String text) {
        return expressions.evaluate(text);
    }

    private int target(String label) {
        Long address = symbols.get(label.trim());
        if (address == null) {
            throw new IllegalArgumentException("no label '" + label.trim() + "'");
        }
        return address.intValue();
    }

    private static int fpuIndex(String text) {
        try {
            int index = Integer.parseInt(text.trim());
            if (index < 0 || index >= Cpu.FPU_STATE_WORDS) {
                throw new NumberFormatException();
            }
            return index;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("an FPU state word is 0.." + (Cpu.FPU_STATE_WORDS - 1) + ", not '" + text + "'");
        }
    }

    static int syscallVector(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "ipc" -> Vectors.IPC;
            case "id_nearest" -> Vectors.ID_NEAREST;
            case "fpage_unmap" -> Vectors.FPAGE_UNMAP;
            case "thread_switch" -> Vectors.THREAD_SWITCH;
            case "thread_schedule" -> Vectors.THREAD_SCHEDULE;
            case "lthread_ex_regs" -> Vectors.LTHREAD_EX_REGS;
            case "task_new" -> Vectors.TASK_NEW;
            default -> throw new IllegalArgumentException("unknown system call '" + name.trim() + "'; known: ipc, id_nearest, "
                    + "fpage_unmap, thread_switch, thread_schedule, lthread_ex_regs, task_new");
        };
    }

    private static void expect(List<String> ops, int count, String usage) {
        if (ops.size() != count) {
            throw new IllegalArgumentException("expected " + count + " operand" + (count == 1 ? "" : "s") + ": " + usage);
        }
    }

    /** Splits operands at top-level commas (not inside parentheses, brackets or quotes). */
    static List<String> split(String operands) {
        List<String> parts = new ArrayList<>();
        if (operands.isBlank()) {
            return parts;
        }
        int depth = 0;
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < operands.length(); i++) {
            char c = operands.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && (c == '(' || c == '[')) {
                depth++;
            } else if (!quoted && (c == ')' || c == ']')) {
                depth--;
            } else if (!quoted && c == ',' && depth == 0) {
                parts.add(operands.substring(start, i).trim());
                start = i + 1;
            }
        }
        parts.add(operands.substring(start).trim());
        return parts;
    }
}
