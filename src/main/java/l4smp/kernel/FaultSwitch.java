package l4smp.kernel;


/**
 * A fix of the thesis removed from the kernel, exactly as a spec's bug configuration removes it
 * (DESIGN.md: fault-injection switches are part of the product, default off, named after the fix
 * they remove). A scenario turns them on in its {@code kernel} section ({@code "faults": [...]});
 * the conformance properties must catch each, and the spec configuration it mirrors shows the
 * same bug in the model.
 */
public enum FaultSwitch {
    /**
     * §8.3.5's proxies removed: a sender on another CPU than its receiver checks the receiver and
     * acts on it from its own CPU, in two steps (implementation decision 3 broken). XpIpc's
     * {@code Variant = "Direct"} (XpIpcDirectClash, XpIpcDirectLostWakeup); UhligRace's race.
     */
    DIRECT_REMOTE_ACCESS("directRemoteAccess", "XpIpc Variant = \"Direct\""),
    /**
     * The receive path's temporary copy of the sender's proxy pointer removed: each check re-reads
     * it, each read a step of its own (§8.3.5, "second interval"). ProxyWakeup's
     * {@code TempProxyCopy = FALSE} (ProxyWakeupNoTempCopy).
     */
    NO_TEMP_PROXY_COPY("noTempProxyCopy", "ProxyWakeup TempProxyCopy = FALSE"),
    /**
     * The receive path's check that the sender's proxy works on this sender's request removed
     * (docs/specs.md). ProxyWakeup's {@code CheckProxySender = FALSE} (ProxyWakeupNoSenderCheck).
     */
    NO_PROXY_SENDER_CHECK("noProxySenderCheck", "ProxyWakeup CheckProxySender = FALSE"),
    /**
     * EOI first removed: the IPI handler acknowledges an IPI only when the operations it linked
     * are done (§8.3.4's synchronous placement). ProxyWakeup's {@code EoiFirst = FALSE}
     * (ProxyWakeupLateEoi, ProxyWakeupLateEoiAcked).
     */
    LATE_EOI("lateEoi", "ProxyWakeup EoiFirst = FALSE"),
    /**
     * "If not yet acknowledged then sendIPI" removed: every trigger sends an IPI (§8.3.4).
     * ProxyWakeup's {@code IpiOnlyIfUnacked = FALSE} (ProxyWakeupThreeIpisEoiOnly, ProxyWakeupLateEoi).
     */
    IPI_EVERY_TRIGGER("ipiEveryTrigger", "ProxyWakeup IpiOnlyIfUnacked = FALSE");

    private final String label;
    private final String spec;

    FaultSwitch(String label, String spec) {
        this.label = label;
        this.spec = spec;
    }

    /** The name in a scenario's {@code kernel.faults}. */
    public String label() {
        return label;
    }

    /** The spec configuration constant that removes the same fix. */
    public String spec() {
        return spec;
    }

    /**
     * The switch named {@code label} (as in a scenario).
     *
     * @throws IllegalArgumentException naming the switches there are
     */
    public static FaultSwitch of(String label) {
        for (FaultSwitch f : values()) {
            if (f.label.equalsIgnoreCase(label) || f.name().equalsIgnoreCase(label)) {
                return f;
            }
        }
        StringBuilder names = new StringBuilder();
        for (FaultSwitch f : values()) {
            names.append(names.length() == 0 ? "" : ", ").append(f.label);
        }
        throw new IllegalArgumentException("no fault switch '" + label + "'; there are " + names);
    }

    @Override
    public String toString() {
        return label;
    }
}
