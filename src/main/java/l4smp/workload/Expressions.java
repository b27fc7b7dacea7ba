package l4smp.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import l4smp.kernel.mm.Fpage;
import l4smp.kernel.thread.ThreadId;

/**
 * Immediate operands of the assembler: numbers (decimal, {@code 0x} hex, negative), labels and
 * {@code .equ} names, thread references {@code @task.thread}, the functions {@code fpage(base,
 * log2 [, rw|ro] [, grant])}, {@code dope(dwords, strings)} and {@code tid(task, lthread [,
 * version])}, combined left to right with {@code +}, {@code -} and {@code |}.
 */
final class Expressions {
    private final Map<String, Long> symbols;
    private final Function<String, ThreadId> threads;

    Expressions(Map<String, Long> symbols, Function<String, ThreadId> threads) {
        this.symbols = symbols;
        this.threads = threads;
    }

    long evaluate(String text) {
        String s = text.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("a value is missing");
        }
        List<String> terms = new ArrayList<>();
        List<Character> operators = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (depth == 0 && i > start && (c == '+' || c == '|' || (c == '-' && !isSign(s, i)))) {
                terms.add(s.substring(start, i));
                operators.add(c);
                start = i + 1;
            }
        }
        terms.add(s.substring(start));
        long value = term(terms.get(0));
        for (int i = 0; i < operators.size(); i++) {
            long next = term(terms.get(i + 1));
            value = switch (operators.get(i)) {
                case '+' -> value + next;
                case '-' -> value - next;
                default -> value | next;
            };
        }
        return value;
    }

    /** A '-' right after another operator or '(' is a sign. */
    private static boolean isSign(String s, int i) {
        for (int j = i - 1; j >= 0; j--) {
            char c = s.charAt(j);
            if (!Character.isWhitespace(c)) {
                return c == '+' || c == '-' || c == '|' || c == '(' || c == ',';
            }
        }
        return true;
    }

    private long term(String raw) {
        String t = raw.trim();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("a value is missing around an operator");
        }
        if (t.startsWith("-")) {
            return -term(t.substring(1));
        }
        if (t.startsWith("@")) {
            ThreadId id = threads.apply(t.substring(1));
            if (id == null) {
                throw new IllegalArgumentException("no thread named " + t.substring(1));
            }
            return id.raw() & 0xFFFFFFFFL;
        }
        int paren = t.indexOf('(');
        if (paren > 0 && t.endsWith(")")) {
            return function(t.substring(0, paren).trim(), arguments(t.substring(paren + 1, t.length() - 1)));
        }
        if (Character.isDigit(t.charAt(0))) {
            return number(t);
        }
        Long symbol = symbols.get(t);
        if (symbol == null) {
            throw new IllegalArgumentException("unknown name '" + t + "' (not a label, .equ or number)");
        }
        return symbol;
    }

    private static long number(String t) {
        try {
            String digits = t.replace("_", "");
            if (digits.startsWith("0x") || digits.startsWith("0X")) {
                return Long.parseLong(digits.substring(2), 16);
            }
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + t + "' is not a number");
        }
    }

    private static List<String> arguments(String inside) {
        List<String> args = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < inside.length(); i++) {
            char c = inside.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                args.add(inside.substring(start, i).trim());
                start = i + 1;
            }
        }
        args.add(inside.substring(start).trim());
        return args;
    }

    private long function(String name, List<String> args) {
        switch (name) {
            case "fpage" -> {
                expectArgs(name, args, 2, 4);
                long base = evaluate(args.get(0));
                int log2 = (int) evaluate(args.get(1));
                boolean writable = true;
                boolean grant = false;
                for (String flag : args.subList(2, args.size())) {
                    switch (flag) {
                        case "rw" -> writable = true;
                        case "ro" -> writable = false;
                        case "grant" -> grant = true;
                        default -> throw new IllegalArgumentException("fpage flag must be rw, ro or grant, not '" + flag + "'");
                    }
                }
                if (log2 < Fpage.PAGE_BITS || log2 > Fpage.WHOLE_SPACE_BITS || (base & ((1L << log2) - 1)) != 0) {
                    throw new IllegalArgumentException("fpage(" + args.get(0) + ", " + log2 + "): the size must be 12..32 "
                            + "and the base aligned to it");
                }
                return new Fpage(base, log2, writable, grant).encode() & 0xFFFFFFFFL;
            }
            case "dope" -> {
                expectArgs(name, args, 2, 2);
                return (evaluate(args.get(0)) << 13) | ((evaluate(args.get(1)) & 0x1F) << 8);
            }
            case "tid" -> {
                expectArgs(name, args, 2, 3);
                int version = args.size() == 3 ? (int) evaluate(args.get(2)) : 0;
                return ThreadId.of((int) evaluate(args.get(0)), (int) evaluate(args.get(1)), version).raw() & 0xFFFFFFFFL;
            }
            case "irq" -> {
                expectArgs(name, args, 1, 1);
                return ThreadId.ofIrq((int) evaluate(args.get(0))).raw();
            }
            default -> throw new IllegalArgumentException("unknown function " + name + "(); known: fpage, dope, tid, irq");
        }
    }

    private static void expectArgs(String name, List<String> args, int min, int max) {
        if (args.size() < min || args.size() > max) {
            throw new IllegalArgumentException(name + "() takes " + (min == max ? min : min + " to " + max)
                    + " arguments, not " + args.size());
        }
    }
}
