package l4smp.hw;

/** The Pentium's general registers in their encoding order, the instruction pointer and the flags. */
public enum Reg {
    EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI, EIP, EFLAGS;

    /** The zero flag, bit 6 of EFLAGS. */
    public static final int ZF = 1 << 6;
}
