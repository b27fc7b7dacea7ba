package l4smp.workload;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ready-made user programs: sigma0, a pager, a client and a server (§2.3's call / reply-and-wait
 * pair), and a few loads for the scheduling scenarios. Each is an assembler template whose
 * {@code ${name}} placeholders are filled from a thread's arguments, with the defaults listed here.
 */
public final class Programs {
    /** A template and the defaults of its arguments (null: the argument must be given). */
    public record Template(String name, String description, String text, Map<String, String> defaults) {
    }

    private static final Map<String, Template> BUILT_IN = new LinkedHashMap<>();

    static {
        add("sigma0", "the root pager: answers every page-fault IPC with an idempotent mapping (virtual = physical address) "
                + "of the faulting page; it owns every frame above the kernel's", """
                start:  ipc  wait                       ; a page fault: EDX = address | 2 if write, ESI = faulting thread
                serve:  mov  ecx, eax
                        and  ecx, 0xF0
                        bne  ecx, 0, start              ; the IPC failed: wait afresh
                        and  edx, 0xFFFFF000            ; the send base: the page itself
                        mov  ebx, edx
                        or   ebx, fpage(0, 12, rw)      ; the fpage: that page, writable
                        ipc  reply_wait esi map snd=0   ; map it, then wait for the next fault
                        jmp  serve
                """, Map.of());
        add("pager", "a pager that backs a client's page with its own page at the same address, "
                + "touching it first so that its own pager (by default sigma0) provides it", """
                start:  ipc  wait
                serve:  mov  ecx, eax
                        and  ecx, 0xF0
                        bne  ecx, 0, start
                        and  edx, 0xFFFFF000
                        ld   ecx, [edx]                 ; our own copy of the page: may fault to our pager
                        mov  ebx, edx
                        or   ebx, fpage(0, 12, ${rights})
                        ipc  reply_wait esi map snd=0
                        jmp  serve
                """, Map.of("rights", "rw"));
        add("client", "calls the server ${calls} times (0: for ever), sending the call number in EDX and thinking "
                + "${think} cycles between calls", """
                        li   esp, 0                     ; ESP counts the calls (the macros leave it alone)
                loop:   mov  edx, esp
                        ipc  call ${server} snd=${snd} rcv=${rcv}
                        add  esp, 1
                        compute ${think}
                        beq  esp, ${calls}, done
                        jmp  loop
                done:   halt
                """, Map.of("server", "", "calls", "0", "think", "100", "snd", "never", "rcv", "never"));
        add("server", "answers each request with the request word plus one, after ${work} cycles of work; replies "
                + "with send timeout 0 (§2.3: the server does not trust its clients)", """
                start:  ipc  wait
                loop:   mov  ecx, eax
                        and  ecx, 0xF0
                        bne  ecx, 0, start              ; the IPC failed (the reply found no receiver): wait afresh
                        add  edx, 1
                        compute ${work}
                        ipc  reply_wait esi snd=0
                        jmp  loop
                """, Map.of("work", "200"));
        add("spinner", "computes for ever, in chunks of ${chunk} cycles", """
                loop:   compute ${chunk}
                        jmp  loop
                """, Map.of("chunk", "1000"));
        add("toggler", "sleeps ${sleep} and computes ${work} cycles, for ever: toggles between ready and waiting", """
                loop:   sleep ${sleep}
                        compute ${work}
                        jmp  loop
                """, Map.of("sleep", "20us", "work", "500"));
        add("irq_handler", "attaches to IRQ ${irq} (a receive with timeout 0), then receives each interrupt and "
                + "works ${work} cycles on it", """
                        ipc  receive irq(${irq}) rcv=0  ; attach: returns receive_timeout
                loop:   ipc  receive irq(${irq})
                        compute ${work}
                        jmp  loop
                """, Map.of("irq", "", "work", "500"));
        add("idle", "sleeps for ever", """
                        halt
                """, Map.of());
    }

    private static void add(String name, String description, String text, Map<String, String> defaults) {
        BUILT_IN.put(name, new Template(name, description, text, defaults));
    }

    private Programs() {
    }

    public static Template builtIn(String name) {
        return BUILT_IN.get(name);
    }

    public static List<String> builtInNames() {
        return List.copyOf(BUILT_IN.keySet());
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    /**
     * Fills the placeholders of {@code text} from {@code args}, then from {@code defaults}.
     *
     * @throws IllegalArgumentException naming an argument that has no value
     */
    public static String instantiate(String text, Map<String, String> args, Map<String, String> defaults) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String key = m.group(1);
            String value = args.containsKey(key) ? args.get(key) : defaults.get(key);
            if (value == null || value.isEmpty()) {
                throw new IllegalArgumentException("argument '" + key + "' is needed");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
