package l4smp.hw;

/** The Pentium's general registers in their encoding order, and the instruction pointer. */
public enum Reg {
    EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI, EIP
}
