package l4smp.hw.bench;

/**
 * The measurements of Völp 2002, §3, that the fidelity benchmark reproduces, read off the text.
 * All are processor cycles of the dual Pentium III 450 MHz on a 440BX board (§3.2).
 */
public final class ThesisFigures {
    private ThesisFigures() {
    }

    private static final String TABLE_1 = "§3.2.1 Table 1";
    private static final String TABLE_2 = "§3.2.2 Table 2";
    private static final String IPI = "§3.3.1";

    /** Table 1, "cycles per 256 lines": the loop reading a register, i.e. the loop alone. */
    public static final ThesisFigure REGISTER_LOOP = ThesisFigure.exactly(571, TABLE_1);
    public static final ThesisFigure L1_HIT_LOOP = ThesisFigure.exactly(815, TABLE_1);
    public static final ThesisFigure L2_HIT_LOOP = ThesisFigure.exactly(2491, TABLE_1);
    public static final ThesisFigure MEMORY_LOOP = ThesisFigure.exactly(11462, TABLE_1);
    /** Table 1, "cycles per iteration" of the register loop: the measuring loop's own cost. */
    public static final double LOOP_ITERATION = 2.20;
    /** Table 1, "cycles per line": per iteration minus the register iteration. */
    public static final ThesisFigure L1_HIT_LINE = ThesisFigure.exactly(0.98, TABLE_1);
    public static final ThesisFigure L2_HIT_LINE = ThesisFigure.exactly(7.53, TABLE_1);
    public static final ThesisFigure MEMORY_LINE = ThesisFigure.exactly(42.57, TABLE_1);

    /** Table 2, "cycles per 256 lines". */
    public static final ThesisFigure E_TO_S_LOOP = ThesisFigure.exactly(16902, TABLE_2);
    public static final ThesisFigure E_TO_M_LOOP = ThesisFigure.exactly(13212, TABLE_2);
    public static final ThesisFigure M_TO_S_LOOP = ThesisFigure.exactly(23482, TABLE_2);
    public static final ThesisFigure M_TO_M_LOOP = ThesisFigure.exactly(23448, TABLE_2);
    public static final ThesisFigure S_TO_M_LOOP = ThesisFigure.exactly(13211, TABLE_2);
    /** Table 2, "cycles per line". */
    public static final ThesisFigure E_TO_S_LINE = ThesisFigure.exactly(63.82, TABLE_2);
    public static final ThesisFigure E_TO_M_LINE = ThesisFigure.exactly(49.23, TABLE_2);
    public static final ThesisFigure M_TO_S_LINE = ThesisFigure.exactly(89.52, TABLE_2);
    public static final ThesisFigure M_TO_M_LINE = ThesisFigure.exactly(89.39, TABLE_2);
    public static final ThesisFigure S_TO_M_LINE = ThesisFigure.exactly(49.23, TABLE_2);

    /**
     * §3.3.1, 1.: "The measurements resulted in 1230 - 1250 cycles to deliver an IPI and detect
     * this in the above described manner" (ICR write, target polls its IRR, writes a shared line,
     * sender rereads it).
     */
    public static final ThesisFigure IPI_ROUND_TRIP = ThesisFigure.range(1230, 1250, IPI + " IPI delivery time");
    /** §3.3.1: "In total roughly 1030 (1230 - 200 for the polling) cycles after [...] A writes its ICR [...] the interrupt arrives". */
    public static final ThesisFigure IPI_DELIVERY = ThesisFigure.exactly(1030, IPI + " summary");
    /** §3.3.1: "So about 1200 cycles after processor A triggered the IPI, the handler code gets activated." */
    public static final ThesisFigure IPI_TO_HANDLER = ThesisFigure.exactly(1200, IPI + " summary");
    /** §3.3.1, 2.: "For the kernel entry phase I measured between 120 to 160 cycles." */
    public static final ThesisFigure KERNEL_ENTRY = ThesisFigure.range(120, 160, IPI + " interruption time");
    /** §3.3.1, 2.: "The exiting phase costs between 170 to 250 cycles." */
    public static final ThesisFigure KERNEL_EXIT = ThesisFigure.range(170, 250, IPI + " interruption time");
    /** §3.3.1: "The currently running thread on processor B is interrupted for 290 to 410 cycles plus [...] the handler". */
    public static final ThesisFigure INTERRUPTION = ThesisFigure.range(290, 410, IPI + " summary");
}
