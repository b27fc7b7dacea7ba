package l4smp.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import l4smp.hw.Reg;
import l4smp.kernel.ipc.IpcState;
import l4smp.kernel.ipc.TimeoutWord;
import l4smp.kernel.irq.Vectors;
import l4smp.workload.Instruction.Alu;
import l4smp.workload.Instruction.AluOp;
import l4smp.workload.Instruction.Immediate;
import l4smp.workload.Instruction.RegisterOperand;

/**
 * The {@code ipc} macro: {@code ipc KIND [PARTNER] [OPTION ...]} loads the ipc system call's
 * registers and traps. KIND is {@code send}, {@code call}, {@code receive} (closed),
 * {@code wait} (open receive) or {@code reply_wait}; PARTNER is a register (ESI is loaded from it
 * unless it is {@code esi}) or a value such as {@code @server.main}. Options:
 * {@code snd=T rcv=T} timeouts ({@code never}, {@code 0}, or a time: {@code 250}, {@code 250us},
 * {@code 3ms}), {@code spf=T rpf=T} page-fault timeouts, {@code map} (the words carry an fpage:
 * EDX the send base, EBX the fpage), {@code msg=ADDRESS} (a long send message),
 * {@code buf=ADDRESS} (a long receive buffer), {@code window=FPAGE} (a register receive accepting
 * fpages into this window), {@code xpfault} (fail rather than cross to another CPU: design
 * decision 4). The words themselves are whatever EDX, EBX and EDI hold.
 */
final class IpcMacro {
    private final String kind;
    private final String partner;
    private String snd = "never";
    private String rcv = "never";
    private String spf = "never";
    private String rpf = "never";
    private boolean map;
    private boolean xpFault;
    private String message;
    private String buffer;
    private String window;

    private IpcMacro(String kind, String partner) {
        this.kind = kind;
        this.partner = partner;
    }

    static IpcMacro parse(String operands) {
        List<String> tokens = tokens(operands);
        if (tokens.isEmpty() || tokens.get(0).isEmpty()) {
            throw new IllegalArgumentException("ipc needs a kind: send, call, receive, wait or reply_wait");
        }
        String kind = tokens.remove(0).toLowerCase(Locale.ROOT);
        if (!List.of("send", "call", "receive", "wait", "reply_wait").contains(kind)) {
            throw new IllegalArgumentException("ipc kind must be send, call, receive, wait or reply_wait, not '" + kind + "'");
        }
        String partner = null;
        if (!kind.equals("wait")) {
            if (tokens.isEmpty() || tokens.get(0).contains("=") || tokens.get(0).equals("map") || tokens.get(0).equals("xpfault")) {
                throw new IllegalArgumentException("ipc " + kind + " needs a partner (a register or a value like @task.thread)");
            }
            partner = tokens.remove(0);
        }
        IpcMacro macro = new IpcMacro(kind, partner);
        for (String token : tokens) {
            macro.option(token);
        }
        timeoutWord(macro.snd, macro.rcv, macro.spf, macro.rpf);
        return macro;
    }

    /** Splits at whitespace outside parentheses, so that {@code tid(9, 0)} stays one token. */
    private static List<String> tokens(String operands) {
        List<String> tokens = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int depth = 0;
        for (char c : operands.trim().toCharArray()) {
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            }
            if (Character.isWhitespace(c) && depth == 0) {
                if (current.length() > 0) {
                    tokens.add(current.toString());
                    current.setLength(0);
                }
            } else {
                current.append(c);
            }
        }
        if (current.length() > 0) {
            tokens.add(current.toString());
        }
        return tokens;
    }

    private void option(String token) {
        if (token.equals("map")) {
            map = true;
            return;
        }
        if (token.equals("xpfault")) {
            xpFault = true;
            return;
        }
        int eq = token.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("unknown ipc option '" + token + "' (options: snd= rcv= spf= rpf= map xpfault msg= buf= window=)");
        }
        String key = token.substring(0, eq);
        String value = token.substring(eq + 1);
        switch (key) {
            case "snd" -> snd = value;
            case "rcv" -> rcv = value;
            case "spf" -> spf = value;
            case "rpf" -> rpf = value;
            case "msg" -> message = value;
            case "buf" -> buffer = value;
            case "window" -> window = value;
            default -> throw new IllegalArgumentException("unknown ipc option '" + key + "'");
        }
    }

    int size() {
        return partner == null || partner.equalsIgnoreCase("esi") ? 4 : 5;
    }

    void emit(Assembler assembler, int line) {
        boolean sends = !kind.equals("receive") && !kind.equals("wait");
        boolean receives = !kind.equals("send");
        boolean open = kind.equals("wait") || kind.equals("reply_wait");
        int sendDescriptor = IpcState.NIL_DESCRIPTOR;
        if (sends) {
            sendDescriptor = (message == null ? 0 : (int) assembler.value(message)) | (map ? IpcState.MAP_BIT : 0)
                    | (xpFault ? IpcState.XP_FAULT_BIT : 0);
        }
        int receiveDescriptor = IpcState.NIL_DESCRIPTOR;
        if (receives) {
            if (window != null) {
                receiveDescriptor = ((int) assembler.value(window) & ~3) | IpcState.MAP_BIT;
            } else {
                receiveDescriptor = buffer == null ? 0 : (int) assembler.value(buffer) & ~3;
            }
            receiveDescriptor |= open ? IpcState.OPEN_BIT : 0;
        }
        if (size() == 5) {
            // first, so that a partner in EAX, EBP or ECX is read before the descriptors overwrite it
            Reg r = Assembler.registerOrNull(partner);
            assembler.add(line, new Alu(AluOp.MOV, Reg.ESI, r != null ? new RegisterOperand(r) : assembler.operand(partner)));
        }
        assembler.add(line, new Alu(AluOp.MOV, Reg.EAX, new Immediate(sendDescriptor)));
        assembler.add(line, new Alu(AluOp.MOV, Reg.EBP, new Immediate(receiveDescriptor)));
        assembler.add(line, new Alu(AluOp.MOV, Reg.ECX, new Immediate(timeoutWord(snd, rcv, spf, rpf))));
        assembler.add(line, new Instruction.Trap(Vectors.IPC));
    }

    /** The ECX timeout word for the four timeouts. */
    static int timeoutWord(String snd, String rcv, String spf, String rpf) {
        int[] s = timeout("snd", snd);
        int[] r = timeout("rcv", rcv);
        return TimeoutWord.of(s[0], s[1], r[0], r[1], pageFault("spf", spf), pageFault("rpf", rpf)).raw();
    }

    private static int[] timeout(String name, String text) {
        if (text.equals("never")) {
            return new int[] {0, 0};
        }
        return TimeoutWord.encodeMicros(micros(name, text));
    }

    private static int pageFault(String name, String text) {
        if (text.equals("never")) {
            return 0;
        }
        long micros = micros(name, text);
        if (micros == 0) {
            return 15;
        }
        for (int p = 14; p >= 1; p--) {
            if ((1L << (2 * (15 - p))) >= micros) {
                return p;
            }
        }
        return 1;
    }

    private static long micros(String name, String text) {
        try {
            if (text.endsWith("ms")) {
                return Long.parseLong(text.substring(0, text.length() - 2)) * 1000;
            }
            if (text.endsWith("us")) {
                return Long.parseLong(text.substring(0, text.length() - 2));
            }
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "= must be never, 0, or a time like 250us or 3ms, not '" + text + "'");
        }
    }
}
